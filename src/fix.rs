//! Edits, fixes and applying them to a text.
//!
//! **Invariant:** a [`Fix`]'s edits are sorted by start and disjoint.
//! [`apply_fixes`] skips a fix that overlaps one already taken, so the result never depends on
//! two rules agreeing about the same bytes.

use crate::text::TextRange;

/// How sure a fix is, ordered from least to most certain.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Applicability {
    /// A suggestion shown to the writer, never applied automatically.
    DisplayOnly,
    /// Plausible but may change meaning; applied only with `--unsafe-fixes` or by hand.
    Unsafe,
    /// Mechanical and certainly intended; applied by `--fix` and by "fix all".
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::DisplayOnly => "display-only",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

/// Replace the bytes of `range` with `text`. An empty range inserts; empty text deletes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: TextRange,
    pub text: String,
}

impl Edit {
    pub fn replace(range: TextRange, text: impl Into<String>) -> Edit {
        Edit {
            range,
            text: text.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit::replace(TextRange::empty(at), text)
    }

    pub fn delete(range: TextRange) -> Edit {
        Edit::replace(range, String::new())
    }
}

/// One way to repair a finding: a title stating the action and its edits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// States the action, e.g. "Remove the repeated \"the\"".
    pub title: String,
    pub applicability: Applicability,
    /// Sorted by start, disjoint.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// Builds a fix, sorting its edits. Overlapping edits are a bug in the rule: they are
    /// caught in debug builds and the fix is reduced to display-only in release builds.
    pub fn new(title: impl Into<String>, applicability: Applicability, mut edits: Vec<Edit>) -> Fix {
        edits.sort_by_key(|edit| (edit.range.start, edit.range.end));
        let disjoint = edits_are_disjoint(&edits);
        debug_assert!(disjoint, "overlapping edits in one fix: {edits:?}");
        Fix {
            title: title.into(),
            applicability: if disjoint {
                applicability
            } else {
                Applicability::DisplayOnly
            },
            edits,
        }
    }

    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::Unsafe, edits)
    }

    pub fn display_only(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::DisplayOnly, edits)
    }

    /// The smallest range covering every edit.
    pub fn range(&self) -> Option<TextRange> {
        let first = self.edits.first()?;
        let last = self.edits.last()?;
        Some(first.range.cover(last.range))
    }
}

/// Whether sorted edits are pairwise disjoint. Two insertions at one offset conflict; an
/// insertion at the end of a replaced range does not.
pub fn edits_are_disjoint(edits: &[Edit]) -> bool {
    edits.windows(2).all(|pair| edits_disjoint(&pair[0], &pair[1]))
}

fn edits_disjoint(first: &Edit, second: &Edit) -> bool {
    if first.range.end < second.range.start {
        return true;
    }
    if first.range.end > second.range.start {
        return false;
    }
    // Touching: fine unless both insert at the same point.
    !(first.range.is_empty() && second.range.is_empty())
}

/// Applies the edits of each fix in order, skipping any fix that overlaps one already taken.
/// Returns the new text and the number of fixes applied.
pub fn apply_fixes<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> (String, usize) {
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut n_applied = 0;
    for fix in fixes {
        if fix.edits.is_empty() {
            continue;
        }
        let conflicts = fix.edits.iter().any(|edit| {
            edit.range.end() > text.len()
                || !text.is_char_boundary(edit.range.start())
                || !text.is_char_boundary(edit.range.end())
                || chosen.iter().any(|taken| !disjoint_any_order(taken, edit))
        });
        if conflicts {
            continue;
        }
        chosen.extend(fix.edits.iter());
        n_applied += 1;
    }
    chosen.sort_by_key(|edit| (edit.range.start, edit.range.end));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for edit in chosen {
        out.push_str(&text[cursor..edit.range.start()]);
        out.push_str(&edit.text);
        cursor = edit.range.end();
    }
    out.push_str(&text[cursor..]);
    (out, n_applied)
}

fn disjoint_any_order(a: &Edit, b: &Edit) -> bool {
    if (a.range.start, a.range.end) <= (b.range.start, b.range.end) {
        edits_disjoint(a, b)
    } else {
        edits_disjoint(b, a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(start: usize, end: usize, text: &str) -> Fix {
        Fix::safe("t", vec![Edit::replace(TextRange::new(start, end), text)])
    }

    #[test]
    fn overlapping_fixes_are_skipped() {
        let text = "abcdef";
        let fixes = [fix(1, 3, "X"), fix(2, 4, "Y"), fix(4, 4, "Z"), fix(4, 4, "W")];
        let (out, n) = apply_fixes(text, &fixes);
        assert_eq!(out, "aXdZef");
        assert_eq!(n, 2);
    }

    #[test]
    fn edits_are_sorted_on_construction() {
        let fix = Fix::safe("t", vec![Edit::insert(6, "b"), Edit::delete(TextRange::new(0, 1))]);
        assert_eq!(fix.edits[0].range.start, 0);
        assert_eq!(apply_fixes("xhello", [&fix]).0, "hellob");
    }
}
