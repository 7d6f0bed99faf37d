//! The words of certification in plain language: each term, where it appears, opens its
//! explanation with one tap (a disclosure, so keyboards and screen readers reach it too),
//! and the results list them all.

use yew::prelude::*;

/// Each term and what it means, in our words.
pub const GLOSSARY: [(&str, &str); 8] = [
    (
        "AI management system",
        "The policies, roles, processes and records an organisation uses to govern its AI. It is what ISO/IEC 42001 certifies (AIMS for short).",
    ),
    (
        "Annex A",
        "The part of ISO/IEC 42001 that lists 38 controls for AI systems: data, transparency, suppliers and more. You apply those that fit your AI systems and say why the others do not apply.",
    ),
    (
        "Statement of Applicability",
        "The document that lists every Annex A control, whether it applies to you and why. Auditors read it first.",
    ),
    (
        "Stage 1 audit",
        "The certification body's first look: it reads your documents and decides whether you are ready for Stage 2.",
    ),
    (
        "Stage 2 audit",
        "The main audit: the certification body checks that your management system works in practice. Passing it leads to the certificate.",
    ),
    (
        "person-days",
        "One person working for one day: 20 person-days is one person for four weeks, or two people for two.",
    ),
    (
        "full-time equivalents",
        "How many people, counted in full-time jobs: 1.5 is one person full time and one half time.",
    ),
    (
        "high-risk",
        "Under the EU AI Act, AI used for decisions such as credit, hiring, education, medical care or safety. Such systems carry stricter duties.",
    ),
];

/// `name` as it appears in a sentence, its explanation one tap away.
pub fn term(name: &'static str) -> Html {
    let meaning = GLOSSARY
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(name))
        .map_or("", |(_, m)| m);
    html! {
        <details class="term">
            <summary>{ name }</summary>
            <span class="meaning">{ meaning }</span>
        </details>
    }
}

/// Every term, for the end of the results.
pub fn glossary() -> Html {
    html! {
        <details class="glossary">
            <summary>{ "Words used here" }</summary>
            <dl>
                { for GLOSSARY.iter().map(|(t, m)| html! { <><dt>{ *t }</dt><dd>{ *m }</dd></> }) }
            </dl>
        </details>
    }
}
