//! Name folding for the gazetteer: case, diacritics and punctuation do not matter.
//!
//! "Khōst", "KHOST" and "Khost" all fold to `khost`; "İstanbul" to `istanbul`; "F.C.T." to
//! `fct`; "Khyber-Pakhtunkhwa" and "Khyber  Pakhtunkhwa" to `khyber pakhtunkhwa`. Scripts other
//! than Latin are only lower-cased, so Cyrillic or Arabic names still match themselves.

use super::fold_table::FOLD_TABLE;

/// Folds `name` to the form the gazetteer indexes and compares.
#[must_use]
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_space = false;
    for ch in name.chars() {
        if is_dropped(ch) {
            continue;
        }
        if is_separator(ch) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        push_folded(&mut out, ch);
    }
    out
}

/// Appends the lower-case, diacritic-free form of one character.
fn push_folded(out: &mut String, ch: char) {
    if ch.is_ascii() {
        out.push(ch.to_ascii_lowercase());
    } else if let Ok(index) = FOLD_TABLE.binary_search_by_key(&ch, |&(from, _)| from) {
        out.push_str(FOLD_TABLE.get(index).map_or("", |&(_, to)| to));
    } else {
        out.extend(ch.to_lowercase());
    }
}

/// Characters that vanish: apostrophes and ʻokina-like marks (Ma'rib = Maʼrib = Marib), dots
/// (F.C.T. = FCT) and combining diacritics (decomposed input).
fn is_dropped(ch: char) -> bool {
    matches!(
        ch,
        '\'' | '`' | '.' | '\u{00B4}' | '\u{02BB}'..='\u{02BF}' | '\u{2018}' | '\u{2019}' | '\u{0300}'..='\u{036F}'
    )
}

/// Characters that separate words: all runs of them become one space.
fn is_separator(ch: char) -> bool {
    ch.is_whitespace()
        || matches!(
            ch,
            '-' | '_' | ',' | ';' | ':' | '/' | '(' | ')' | '"' | '\u{2010}'..='\u{2015}'
        )
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) between two
/// folded names, or `None` if it exceeds `max`.
///
/// Transpositions count once so that the typo "Khots" is one edit from "Khost". (Convenience
/// form for tests; the gazetteer uses [`EditScratch`] directly.)
#[cfg(test)]
#[must_use]
pub fn edit_distance_at_most(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    EditScratch::default().distance_at_most(&a, b, max)
}

/// Buffers reused across many edit-distance computations (a suggestion compares the
/// query with every indexed name).
#[derive(Debug, Default)]
pub struct EditScratch {
    b: Vec<char>,
    before: Vec<usize>,
    previous: Vec<usize>,
    current: Vec<usize>,
}

impl EditScratch {
    /// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) of `a` (as
    /// chars) and `b`, or `None` if it exceeds `max`. Transpositions count once so that the typo
    /// "Khots" is one edit from "Khost".
    pub fn distance_at_most(&mut self, a: &[char], b: &str, max: usize) -> Option<usize> {
        self.b.clear();
        self.b.extend(b.chars());
        let b = &self.b;
        if a.len().abs_diff(b.len()) > max {
            return None;
        }
        let width = b.len() + 1;
        // Three rows: two back (for transpositions), previous and current.
        reset(&mut self.before, width, |_| 0);
        reset(&mut self.previous, width, |j| j);
        reset(&mut self.current, width, |_| 0);
        for (i, &char_a) in a.iter().enumerate() {
            let row_min = osa_row(
                (i, char_a),
                a,
                b,
                [&self.before, &self.previous],
                &mut self.current,
            );
            if row_min > max {
                return None;
            }
            std::mem::swap(&mut self.before, &mut self.previous);
            std::mem::swap(&mut self.previous, &mut self.current);
        }
        self.previous
            .last()
            .copied()
            .filter(|&distance| distance <= max)
    }
}

fn reset(row: &mut Vec<usize>, width: usize, value: impl Fn(usize) -> usize) {
    row.clear();
    row.extend((0..width).map(value));
}

/// Fills one row of the OSA table; returns its minimum (for early exit).
fn osa_row(
    (i, char_a): (usize, char),
    a: &[char],
    b: &[char],
    [before, previous]: [&[usize]; 2],
    current: &mut [usize],
) -> usize {
    let cell = |row: &[usize], j: usize| row.get(j).copied().unwrap_or(usize::MAX / 2);
    let mut left = i + 1;
    if let Some(first) = current.first_mut() {
        *first = left;
    }
    let mut row_min = left;
    for (j, &char_b) in b.iter().enumerate() {
        let cost = usize::from(char_a != char_b);
        let mut best = (cell(previous, j) + cost)
            .min(cell(previous, j + 1) + 1)
            .min(left + 1);
        let transposed =
            i > 0 && j > 0 && a.get(i - 1) == Some(&char_b) && b.get(j - 1) == Some(&char_a);
        if transposed {
            best = best.min(cell(before, j - 1) + 1);
        }
        if let Some(slot) = current.get_mut(j + 1) {
            *slot = best;
        }
        left = best;
        row_min = row_min.min(best);
    }
    row_min
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_diacritics_and_punctuation() {
        assert_eq!(fold("Khōst"), "khost");
        assert_eq!(fold("KHOST"), "khost");
        assert_eq!(fold("İstanbul"), "istanbul");
        assert_eq!(fold("Asadābād"), "asadabad");
        assert_eq!(fold("Zaṟah Sharan"), "zarah sharan");
        assert_eq!(fold("F.C.T."), "fct");
        assert_eq!(fold("Maʼrib"), fold("Ma'rib"));
        assert_eq!(fold("  Khyber-Pakhtunkhwa "), "khyber pakhtunkhwa");
        assert_eq!(fold("Washington, D.C."), "washington dc");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Sjanghæ"), "sjanghae");
        assert_eq!(fold("Москва"), "москва");
    }

    #[test]
    fn fold_table_is_sorted_for_binary_search() {
        assert!(FOLD_TABLE.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance_at_most("khots", "khost", 2), Some(1));
        assert_eq!(edit_distance_at_most("kabul", "kabul", 2), Some(0));
        assert_eq!(edit_distance_at_most("tehran", "tehraan", 2), Some(1));
        assert_eq!(edit_distance_at_most("paris", "pakistan", 2), None);
        assert_eq!(edit_distance_at_most("", "ab", 2), Some(2));
        assert_eq!(edit_distance_at_most("abcd", "wxyz", 2), None);
    }
}
