//! The full assessment in the /embed page with some Annex A controls not applicable: the
//! Statement of Applicability the widget offers, and the server's for the same answers.

use crate::harness::{Answer, Ctx};

const EXCLUDED: [(&str, &str, &str); 3] = [
    (
        "q-a-6-2-5",
        "A.6.2.5",
        "We deploy no AI system ourselves; the vendor operates it.",
    ),
    (
        "q-a-7-2",
        "A.7.2",
        "No data for AI development: we buy the model as a service, \"as is\", and train nothing.",
    ),
    (
        "q-a-10-4",
        "A.10.4",
        "We have no customers for AI products, only internal users; see scope, section 2.",
    ),
];

fn parse(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("CSV header")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("CSV row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_assessment_with_exclusions_gives_the_same_soa_in_the_browser_and_on_the_server() {
    let ctx = Ctx::start().await;
    ctx.open("/embed?mode=full").await;
    ctx.start_and_fill_profile().await;
    let answered = ctx
        .answer_all(|i, q| match EXCLUDED.iter().find(|(id, _, _)| *id == q) {
            Some((_, _, why)) => Answer::NotApplicable(why),
            None => Answer::Level((i % 5) as u8),
        })
        .await;
    assert_eq!(answered, 62, "the full assessment has 62 questions");
    let (overall, _, band) = ctx.shown_result().await;
    eprintln!("full assessment: overall {overall}, band {band}");

    ctx.capture_downloads().await;
    let soa = ctx.download("Statement of Applicability (CSV)").await;
    assert_eq!(soa.name, "aims-statement-of-applicability.csv");
    assert!(soa.mime.starts_with("text/csv"), "{}", soa.mime);
    let (header, rows) = parse(&soa.text);
    assert_eq!(
        &header[..5],
        ["control", "title", "objective", "included", "justification"]
    );
    assert_eq!(rows.len(), 38, "one row per Annex A control");
    for row in &rows {
        match EXCLUDED.iter().find(|(_, control, _)| *control == row[0]) {
            Some((_, control, why)) => {
                assert_eq!(row[3], "no", "{control} is excluded: {row:?}");
                assert_eq!(row[4], *why, "{control}'s justification: {row:?}");
            }
            None => {
                assert_eq!(row[3], "yes", "{row:?}");
                assert!(row[4].len() > 20, "an included control says why: {row:?}");
            }
        }
    }

    let id = ctx
        .send_lead("Ada Lovelace", "ada@engines.example", "Analytical Engines")
        .await;
    let server = ctx
        .app
        .get(&format!("/api/v1/assessments/{id}/soa.csv"))
        .await;
    assert_eq!(server.status, 200, "{}", server.text);
    let (server_header, server_rows) = parse(&server.text);
    assert_eq!(server_header, header);
    // The draft is dated the day it is produced: the widget's export and the stored
    // assessment may fall on either side of midnight.
    let date = header
        .iter()
        .position(|h| h == "date")
        .expect("date column");
    let undated = |rows: &[Vec<String>]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                assert_eq!(r[date].len(), 10, "{r:?}");
                [&r[..date], &r[date + 1..]].concat()
            })
            .collect()
    };
    assert_eq!(
        undated(&server_rows),
        undated(&rows),
        "the server's Statement of Applicability agrees with the widget's"
    );
    let lead = ctx.app.admin_get("/api/v1/leads").await.json();
    assert_eq!(lead["items"][0]["assessment_id"], id.as_str());
    assert_eq!(lead["items"][0]["mode"], "full");
    assert_eq!(lead["items"][0]["overall"].as_f64(), Some(overall));

    ctx.assert_no_console_errors("/embed?mode=full").await;
    ctx.finish().await;
}
