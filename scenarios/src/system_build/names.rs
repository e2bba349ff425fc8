//! Names as written: trimmed and checked, and the report of a name that
//! does not resolve, with a close one suggested.

use std::ops::Range;

use serde_spanned::Spanned;

use super::Builder;

impl Builder<'_> {
    /// A trimmed, non-empty name, or a diagnostic (and the empty string).
    pub(super) fn name(&mut self, value: &Spanned<String>, key: &str) -> String {
        let name = self.c.name_text(value, key);
        if name.is_empty() {
            self.c.error(
                value.span(),
                key,
                "the name is empty; expected a short name such as \"east-a\"".into(),
            );
        }
        name
    }

    /// A name that does not resolve: the message, with a suggestion among
    /// the candidates if one is close.
    pub(super) fn unknown<'n>(
        &mut self,
        span: Range<usize>,
        key: &str,
        name: &str,
        expected: &str,
        candidates: impl Iterator<Item = &'n str>,
    ) {
        let hint = match suggestion(name, candidates) {
            Some(s) => format!("; did you mean `{s}`?"),
            None => String::new(),
        };
        self.c.error(
            span,
            key,
            format!("unknown name `{name}`; expected {expected}{hint}"),
        );
    }
}

/// The candidate closest to `name`, if within an edit distance of 2 (ties
/// go to the first candidate).
pub(crate) fn suggestion<'n>(
    name: &str,
    candidates: impl Iterator<Item = &'n str>,
) -> Option<&'n str> {
    let len = name.chars().count();
    if len > 100 {
        return None;
    }
    candidates
        .filter(|c| c.chars().count().abs_diff(len) <= 2)
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, _)| d <= 2)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// The Levenshtein distance between two strings, in characters.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}
