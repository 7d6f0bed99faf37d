//! New-lead emails to the consultancy, through SMTP (`lettre`) from the same durable outbox
//! as the webhook (channel `mail`): written with the lead, retried with backoff while the
//! mail server is down, claimed by one instance, erased with the lead. The message is
//! built when it is sent, from the lead's row, so the outbox holds no personal data.

use crate::db::{DbError, LeadEvent};
use crate::timestamp::Timestamp;
use crate::webhook::backoff_secs;
use crate::{AppState, Config};
use aims_engine::Band;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;
use std::time::Duration;

/// How often the outbox is polled.
const POLL: Duration = Duration::from_millis(500);
/// Reports emailed to one address in 24 hours: the address is typed by a visitor, so
/// without a cap the form would send our mail to anyone, as often as asked.
const REPORTS_PER_ADDRESS_PER_DAY: i64 = 1;
/// Reports emailed in an hour, by every instance together; more wait for the next hour.
const REPORTS_PER_HOUR: i64 = 60;
/// How far off a delivery that will never be made is put (about a century): kept, with
/// its reason, until the lead is erased or the retention period ends.
const NEVER_SECS: i64 = 100 * 365 * 24 * 3600;

/// The mail server's URL, the sender and the recipients, checked so that a typo stops
/// the server at start (rather than leave every new-lead email queued for ever).
pub fn check(config: &Config) -> Result<(), String> {
    Mailer::new(config).map(|_| ())
}

fn mailboxes(config: &Config) -> Result<(Mailbox, Vec<Mailbox>), String> {
    let from = config.mail_from.as_deref().unwrap_or_default();
    let from = from
        .parse::<Mailbox>()
        .map_err(|e| format!("--mail-from {from:?} is not an address: {e}"))?;
    let to = config
        .notify_email
        .iter()
        .map(|a| {
            a.trim()
                .parse::<Mailbox>()
                .map_err(|e| format!("--notify-email {a:?} is not an address: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((from, to))
}

/// What sends the emails.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

/// The addresses that parse; the console and the flags let only such addresses in.
fn recipients(addresses: &[String]) -> Vec<Mailbox> {
    addresses
        .iter()
        .filter_map(|a| a.trim().parse::<Mailbox>().ok())
        .collect()
}

impl Mailer {
    /// The transport for `--smtp-url` and the checked addresses.
    pub fn new(config: &Config) -> Result<Mailer, String> {
        crate::install_tls_provider();
        let url = config
            .smtp_url
            .as_ref()
            .map(|u| u.expose_secret().to_string())
            .unwrap_or_default();
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| format!("--smtp-url is not usable: {e}"))?
            .timeout(Some(Duration::from_secs(10)))
            .build();
        let (from, _) = mailboxes(config)?;
        Ok(Mailer {
            transport,
            from,
            public_url: config
                .public_url
                .as_deref()
                .unwrap_or_default()
                .trim_end_matches('/')
                .to_string(),
        })
    }

    /// The new-lead message for the consultancy.
    fn new_lead(&self, lead: &LeadEvent, to: &[Mailbox]) -> Result<Message, String> {
        let band = lead.band.parse::<Band>().map_or("", Band::label);
        let who = if lead.company.is_empty() {
            lead.name.clone()
        } else {
            format!("{} ({})", lead.name, lead.company)
        };
        let score = aims_engine::num::whole(lead.overall);
        let mut body = format!(
            "A new lead left their details with their ISO/IEC 42001 readiness results.\n\n\
             Name: {}\nEmail: {}\n",
            lead.name, lead.email
        );
        for (label, value) in [
            ("Company", &lead.company),
            ("Phone", &lead.phone),
            ("Role", &lead.role),
        ] {
            if !value.is_empty() {
                body.push_str(&format!("{label}: {value}\n"));
            }
        }
        body.push_str(&format!(
            "Score: {score} / 100 ({band}), {} must-fix item(s)\n\n\
             In the console: {}/admin/leads/{}\nGap Analysis Report: {}/api/v1/assessments/{}/report\n",
            lead.blockers, self.public_url, lead.lead_id, self.public_url, lead.assessment_id
        ));
        let mut message = Message::builder()
            .from(self.from.clone())
            .subject(format!("New lead: {who}, readiness {score} / 100 ({band})"));
        for to in to {
            message = message.to(to.clone());
        }
        if let Ok(reply_to) = lead.email.parse::<Mailbox>() {
            message = message.reply_to(reply_to);
        }
        message.body(body).map_err(|e| e.to_string())
    }
}

impl Mailer {
    /// The Gap Analysis Report for the visitor who asked for it: a short note with the
    /// score and the report's link, and the report itself attached (HTML that prints to
    /// PDF). Replies go to the consultancy's first new-lead recipient.
    fn report(
        &self,
        lead: &LeadEvent,
        html: String,
        site: &aims_engine::Site,
        reply_to: Option<&Mailbox>,
    ) -> Result<Message, String> {
        use lettre::message::header::ContentType;
        use lettre::message::{Attachment, MultiPart, SinglePart};
        let to = lead
            .email
            .parse::<Mailbox>()
            .map_err(|_| "the lead's address does not parse".to_string())?;
        let band = lead.band.parse::<Band>().map_or("", Band::label);
        let score = aims_engine::num::whole(lead.overall);
        let from_whom = site
            .name
            .as_deref()
            .map(|n| format!("\n\n{n}"))
            .unwrap_or_default();
        // No name in the greeting: the visitor typed it, and this goes to the address
        // they typed, so it would let anyone put their words in our mail.
        let online = if self.public_url.is_empty() {
            String::new()
        } else {
            format!(
                "The report online: {}/api/v1/assessments/{}/report\n",
                self.public_url, lead.assessment_id
            )
        };
        let body = format!(
            "Hello,\n\nThank you for taking the ISO/IEC 42001 readiness assessment. Your Gap \
             Analysis Report is attached: open it in a browser, and print it to PDF to keep or share it.\n\n\
             Your readiness: {score} / 100 ({band}), {} must-fix item(s).\n{online}\n\
             You receive this email because you asked for it with your results; no further emails \
             follow from this request.{from_whom}\n",
            lead.blockers
        );
        let mut message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject("Your ISO/IEC 42001 Gap Analysis Report");
        if let Some(reply_to) = reply_to {
            message = message.reply_to(reply_to.clone());
        }
        let html_type = ContentType::parse("text/html; charset=utf-8").expect("a valid type");
        message
            .multipart(
                MultiPart::mixed()
                    .singlepart(SinglePart::plain(body))
                    .singlepart(
                        Attachment::new("gap-analysis-report.html".into()).body(html, html_type),
                    ),
            )
            .map_err(|e| e.to_string())
    }
}

/// What went wrong, for the log and the outbox: the SMTP status and its class, without
/// the server's words; and whether the server refused it for good (5xx: retrying would
/// only be refused again).
fn smtp_failure(e: &lettre::transport::smtp::Error) -> (String, bool) {
    let kind = if e.is_permanent() {
        "refused it for good (5xx)"
    } else if e.is_transient() {
        "refused it for now (4xx)"
    } else {
        "could not be reached or the connection failed"
    };
    let text = match e.status() {
        Some(code) => format!("the mail server {kind}: SMTP {code}"),
        None => format!("the mail server {kind}"),
    };
    (text, e.is_permanent())
}

/// When a report to `email` must not go now: never (one went to that address in the
/// last day), or in ten minutes (the hour's reports are spent); with the reason.
async fn report_held(
    db: &crate::db::Database,
    email: &str,
) -> Result<Option<(Timestamp, String)>, DbError> {
    let (to_address, in_hour) = db
        .reports_sent(
            email,
            Timestamp::in_secs(-24 * 3600),
            Timestamp::in_secs(-3600),
        )
        .await?;
    Ok(if to_address >= REPORTS_PER_ADDRESS_PER_DAY {
        Some((
            Timestamp::in_secs(NEVER_SECS),
            "not sent: this address was sent a report in the last 24 hours".to_string(),
        ))
    } else if in_hour >= REPORTS_PER_HOUR {
        Some((
            Timestamp::in_secs(600),
            format!("held: {REPORTS_PER_HOUR} reports were emailed in the last hour"),
        ))
    } else {
        None
    })
}

/// Sends due emails until the task is aborted.
pub async fn deliver_forever(state: AppState, mailer: Mailer) {
    loop {
        if let Err(e) = deliver_due(&state, &mailer).await {
            tracing::warn!(error = %e, "mail outbox could not be read");
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn deliver_due(state: &AppState, mailer: &Mailer) -> Result<(), DbError> {
    let db = &state.db;
    for channel in ["mail", "report"] {
        for item in db.due_outbox(channel, Timestamp::now(), 20).await? {
            if !db
                .claim_outbox(&item.id, item.next_attempt_at, Timestamp::in_secs(60))
                .await?
            {
                continue;
            }
            // Erased since it was queued: the erasure deleted the row; nothing to send.
            let Some(lead) = db.lead_event(&item.lead_id).await? else {
                continue;
            };
            if channel == "report"
                && let Some(held) = report_held(db, &lead.email).await?
            {
                tracing::info!(outbox = %item.id, "report email held by its limits");
                db.record_delivery(&item.id, Timestamp::now(), Err(held))
                    .await?;
                continue;
            }
            let live = state.live();
            let to = recipients(&live.notify_emails(&state.config));
            // A message that cannot be built now never can (no recipients is the
            // exception: the owner may set them), so it is not retried.
            let message = if channel == "mail" {
                if to.is_empty() {
                    Err((
                        "no recipients are set for new-lead emails".to_string(),
                        false,
                    ))
                } else {
                    mailer
                        .new_lead(&lead, &to)
                        .map_err(|e| (format!("the message could not be built: {e}"), true))
                }
            } else {
                match crate::http::report_html(state, &lead.assessment_id).await {
                    Ok(html) => mailer
                        .report(&lead, html, &live.site, to.first())
                        .map_err(|e| (format!("the message could not be built: {e}"), true)),
                    Err(e) => Err((format!("the report could not be made: {e}"), false)),
                }
            };
            // Well within the claim's 60 s, so that no other instance sends it as well.
            let sent = match message {
                Ok(message) => {
                    match tokio::time::timeout(
                        Duration::from_secs(45),
                        mailer.transport.send(message),
                    )
                    .await
                    {
                        Ok(Ok(_)) => Ok(()),
                        Ok(Err(e)) => Err(smtp_failure(&e)),
                        Err(_) => Err((
                            "the mail server did not answer within 45 s".to_string(),
                            false,
                        )),
                    }
                }
                Err(e) => Err(e),
            };
            let now = Timestamp::now();
            match sent {
                Ok(()) => db.record_delivery(&item.id, now, Ok(())).await?,
                Err((error, for_good)) => {
                    // The error gives the SMTP status only, never the server's text (which
                    // can quote addresses).
                    let next = if for_good {
                        tracing::warn!(outbox = %item.id, channel, %error, "email not sent; given up");
                        Timestamp::in_secs(NEVER_SECS)
                    } else {
                        tracing::info!(outbox = %item.id, channel, attempts = item.attempts + 1, %error, "email not sent; will retry");
                        Timestamp::in_secs(backoff_secs(item.attempts))
                    };
                    db.record_delivery(&item.id, now, Err((next, error)))
                        .await?;
                }
            }
        }
    }
    Ok(())
}
