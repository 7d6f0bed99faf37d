//! The roadmap as a reader meets it: dates on the axis and the audits as milestones once
//! a start date is given, a list instead of the chart on a phone, and the quick quiz's
//! results printed on a few A4 pages.

use crate::harness::{Answer, Ctx};
use fantoccini::wd::{PrintConfiguration, PrintSize};
use serde_json::json;

/// Pages in a PDF: its page objects (`/Type /Page`, not the `/Pages` tree).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(i, m)| !text[i + m.len()..].starts_with('s'))
        .count()
}

/// Quick quiz answered, then a start date given where the results ask for it.
async fn results_with_a_start_date(ctx: &Ctx) {
    ctx.open("/").await;
    ctx.start_and_fill_profile().await;
    ctx.answer_all(|i, _| Answer::Level((i % 3) as u8)).await;
    let start = ctx.el("#aims-start").await;
    ctx.js(
        "arguments[0].value = '2027-01-04'; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));",
        vec![serde_json::to_value(&start).unwrap()],
    )
    .await;
    ctx.wait_in_widget(
        "return root.querySelector('.milestones')?.textContent.includes('around');",
        "milestones with dates",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_roadmap_has_dates_and_milestones_and_is_a_list_on_a_phone() {
    let ctx = Ctx::start().await;
    results_with_a_start_date(&ctx).await;

    // On a desktop: the chart, its axis in months, reaching the end of the last bar,
    // the audits marked, its text at a readable size.
    let chart = ctx
        .in_widget(
            "const svg = root.querySelector('svg.gantt'); \
             const ticks = [...svg.querySelectorAll('.tick text')]; \
             const bars = [...svg.querySelectorAll('rect')].map(r => r.getBoundingClientRect().right); \
             const last = svg.querySelectorAll('.tick line'); \
             return { shown: getComputedStyle(svg).display !== 'none', \
                      ticks: ticks.map(t => t.textContent), \
                      text: Math.min(...ticks.map(t => t.getBoundingClientRect().height)), \
                      axisEnd: last[last.length - 1].getBoundingClientRect().right, \
                      barsEnd: Math.max(...bars), \
                      milestones: [...svg.querySelectorAll('.milestone text')].map(t => t.textContent) };",
        )
        .await;
    assert_eq!(chart["shown"], true, "{chart}");
    assert_eq!(chart["ticks"][0], "Jan 2027", "{chart}");
    assert!(
        chart["ticks"].as_array().unwrap().iter().all(|t| t
            .as_str()
            .unwrap()
            .ends_with(char::is_numeric)
            && !t.as_str().unwrap().starts_with('w')),
        "months, not weeks: {chart}"
    );
    assert!(
        chart["axisEnd"].as_f64().unwrap() + 1.0 >= chart["barsEnd"].as_f64().unwrap(),
        "the axis reaches the last bar's end: {chart}"
    );
    assert!(chart["text"].as_f64().unwrap() >= 11.0, "{chart}");
    assert_eq!(
        chart["milestones"],
        json!(["Stage 1", "Stage 2 · certified"]),
        "{chart}"
    );
    let milestones = ctx
        .in_widget("return root.querySelector('.milestones').textContent;")
        .await;
    let milestones = milestones.as_str().unwrap();
    assert!(
        milestones.contains("Stage 1 audit") && milestones.contains("Stage 2 audit"),
        "{milestones}"
    );

    // On a phone: no chart to squint at; the phases as a list, with months.
    ctx.client
        .set_window_size(390, 844)
        .await
        .expect("a phone-sized window");
    let phone = ctx
        .wait_in_widget(
            "const svg = root.querySelector('svg.gantt'); \
             if (getComputedStyle(svg).display !== 'none') return null; \
             const list = [...root.querySelectorAll('.phases .phase-when')].map(p => p.textContent); \
             return { list, milestones: root.querySelector('.milestones').getBoundingClientRect().height };",
            "the chart hidden on a phone",
        )
        .await;
    let list = phone["list"].as_array().unwrap();
    assert_eq!(list.len(), 6, "{phone}");
    assert!(
        list[0].as_str().unwrap().contains("January 2027"),
        "{phone}"
    );
    assert!(phone["milestones"].as_f64().unwrap() > 0.0, "{phone}");
    ctx.assert_no_console_errors("/ (roadmap)").await;
    ctx.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quick_results_print_on_at_most_four_a4_pages() {
    let ctx = Ctx::start().await;
    results_with_a_start_date(&ctx).await;
    let pdf = ctx
        .client
        .print(
            PrintConfiguration::builder()
                .size(PrintSize::A4)
                .build()
                .expect("an A4 print configuration"),
        )
        .await
        .expect("print to PDF");
    // To look at it: AIMS_PRINT_PDF=/tmp/quick.pdf cargo test -p aims-tests --test e2e print
    if let Ok(path) = std::env::var("AIMS_PRINT_PDF") {
        std::fs::write(&path, &pdf).expect("write the PDF");
    }
    let pages = pdf_pages(&pdf);
    eprintln!(
        "quick results printed on {pages} A4 page(s), {} bytes",
        pdf.len()
    );
    assert!((1..=4).contains(&pages), "{pages} pages");
    ctx.finish().await;
}
