//! Deterministic generation of realistic news drafts for benchmarks.

#![allow(dead_code)]

use std::time::{Duration, Instant};

/// A small deterministic pseudo-random generator (xorshift).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const GIVEN: &[&str] = &[
    "Ana", "Tom", "Maria", "James", "Lee", "Fatima", "Olga", "Kwame", "Sofia", "Daniel", "Priya", "Hiroshi",
];
const FAMILY: &[&str] = &[
    "Reyes", "Becker", "Ortiz", "Nguyen", "Okafor", "Kowalski", "Haddad", "Larsen", "Moreau", "Silva", "Tanaka",
    "Brennan",
];
const TITLES: &[&str] = &[
    "Mayor",
    "Sen.",
    "Gov.",
    "Council Member",
    "Foreign Minister",
    "Police Chief",
    "Superintendent",
];
const VERBS: &[&str] = &[
    "said",
    "told reporters",
    "said on Tuesday",
    "added",
    "wrote in a statement",
];
const CLAUSES: &[&str] = &[
    "The council delayed its vote on the $3.5 billion budget after a session that ran past midnight",
    "Officials in Washington, D.C., said the plan would cost about 12 percent more than last year",
    "The U.S. Department of Transportation approved the grant on Jan. 5, according to records",
    "Residents packed the hearing room, and many waited more than three hours to speak",
    "The proposal, first floated in 2019, would raise the levy by 0.5 percentage points",
    "Critics said the measure did little for renters, who make up most of the district",
    "The agency did not respond to requests for comment on Monday",
    "Talks resumed at 9 a.m. Wednesday at City Hall, where the committee meets",
];
const QUOTES: &[&str] = &[
    "We will not close a single branch",
    "This budget protects the people who need it most, and we are proud of it",
    "Nobody told us anything until the night before the vote",
    "It is not over",
    "We asked for a delay, and we got one",
];

/// A draft of at least `target_bytes`, made of headings, paragraphs, quotes and lists.
pub fn news_draft(target_bytes: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(target_bytes + 4096);
    out.push_str("---\ntitle: \"Council delays budget vote\"\n---\n\n# Council delays budget vote\n\n");
    let mut paragraph = 0;
    while out.len() < target_bytes {
        paragraph += 1;
        let given = rng.pick(GIVEN);
        let family = rng.pick(FAMILY);
        let title = rng.pick(TITLES);
        match rng.next() % 6 {
            0 => {
                out.push_str(&format!(
                    "\"{},\" {} {} {} {}. \"{}.\"\n\n",
                    rng.pick(QUOTES),
                    title,
                    given,
                    family,
                    rng.pick(VERBS),
                    rng.pick(QUOTES)
                ));
            }
            1 => {
                out.push_str(&format!(
                    "{} {}, the {}, {}: \"{}.\" {}.\n\n",
                    given,
                    family,
                    title.to_lowercase(),
                    rng.pick(VERBS),
                    rng.pick(QUOTES),
                    rng.pick(CLAUSES)
                ));
            }
            2 if paragraph % 7 == 0 => {
                out.push_str(&format!(
                    "## {} {}\n\n",
                    rng.pick(&["Budget", "Transit", "Schools", "Housing"]),
                    paragraph
                ));
            }
            3 if paragraph % 5 == 0 => {
                for _ in 0..3 {
                    out.push_str(&format!("- {}.\n", rng.pick(CLAUSES)));
                }
                out.push('\n');
            }
            _ => {
                out.push_str(&format!(
                    "{}. {}, {} {} {}. {}.\n\n",
                    rng.pick(CLAUSES),
                    rng.pick(CLAUSES),
                    family,
                    rng.pick(VERBS),
                    rng.pick(&["on Monday", "in an interview", "after the vote"]),
                    rng.pick(CLAUSES)
                ));
            }
        }
    }
    out
}

/// Runs `f` `runs` times (after one warm-up) and returns the median duration.
pub fn median_time(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

pub fn mb_per_second(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / 1e6 / time.as_secs_f64()
}

/// Writes a newsroom's folder of drafts under `dir` until it holds at least `total_bytes`:
/// stories of 2 to 40 KB (most news stories are a few KB; features run longer), filed in
/// one subfolder per desk, about one in five with a slip an editor would catch (a doubled
/// word, a space before a comma). Returns the number of files and of bytes written.
pub fn news_folder(dir: &std::path::Path, total_bytes: usize, seed: u64) -> (usize, usize) {
    let mut rng = Rng::new(seed);
    let desks = ["city", "politics", "schools", "transit", "business"];
    for desk in desks {
        std::fs::create_dir_all(dir.join(desk)).expect("create desk folder");
    }
    let (mut files, mut bytes) = (0, 0);
    while bytes < total_bytes {
        let size = 2_000 + (rng.next() % 38_000) as usize;
        let mut text = news_draft(size, rng.next());
        match rng.next() % 10 {
            0 => text = text.replacen(" the ", " the the ", 1),
            1 => text = text.replacen(", ", " , ", 1),
            _ => {}
        }
        let desk = desks[files % desks.len()];
        std::fs::write(dir.join(desk).join(format!("story-{files:05}.md")), &text).expect("write draft");
        files += 1;
        bytes += text.len();
    }
    (files, bytes)
}
