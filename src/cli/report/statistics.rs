//! `--statistics`: how many findings each rule made, for a newsroom deciding which rules to
//! enable. A table, or JSON with `--format json`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use copydesk::Applicability;
use serde_json::json;

use super::{FileReport, best_applicability, plural, rule_summary};

struct RuleCount {
    count: usize,
    fixable: usize,
}

fn counts(reports: &[FileReport]) -> Vec<(&'static str, RuleCount)> {
    let mut by_rule: BTreeMap<&'static str, RuleCount> = BTreeMap::new();
    for diagnostic in reports.iter().flat_map(|report| &report.diagnostics) {
        let entry = by_rule
            .entry(diagnostic.rule)
            .or_insert(RuleCount { count: 0, fixable: 0 });
        entry.count += 1;
        if best_applicability(diagnostic) >= Some(Applicability::Unsafe) {
            entry.fixable += 1;
        }
    }
    let mut rows: Vec<(&'static str, RuleCount)> = by_rule.into_iter().collect();
    // Most frequent first; ties by rule id, so the order is deterministic.
    rows.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
    rows
}

pub fn write_statistics(out: &mut dyn Write, reports: &[FileReport], as_json: bool) -> io::Result<()> {
    let rows = counts(reports);
    if as_json {
        let value: Vec<_> = rows
            .iter()
            .map(|(rule, counts)| {
                json!({"rule": rule, "count": counts.count, "fixable": counts.fixable, "summary": rule_summary(rule)})
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &value)?;
        return writeln!(out);
    }
    let id_width = rows.iter().map(|(rule, _)| rule.len()).max().unwrap_or(4).max(4);
    let count_width = rows
        .iter()
        .map(|(_, counts)| counts.count.to_string().len())
        .max()
        .unwrap_or(5)
        .max(5);
    writeln!(
        out,
        "{:>count_width$}  {:<id_width$}  {:>7}  summary",
        "count", "rule", "fixable"
    )?;
    for (rule, counts) in &rows {
        writeln!(
            out,
            "{:>count_width$}  {:<id_width$}  {:>7}  {}",
            counts.count,
            rule,
            counts.fixable,
            rule_summary(rule)
        )?;
    }
    let total: usize = rows.iter().map(|(_, counts)| counts.count).sum();
    let files = reports.iter().filter(|report| report.source.is_some()).count();
    writeln!(
        out,
        "{} from {} in {}.",
        plural(total, "problem", "problems"),
        plural(rows.len(), "rule", "rules"),
        plural(files, "file", "files")
    )
}
