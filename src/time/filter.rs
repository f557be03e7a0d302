//! Which events the user wants to see, whatever the date.
//!
//! The search runs over every event on each keystroke, so it must not
//! allocate per event: a million events were 2 s a keystroke when each
//! one's text was gathered and lower-cased into a new string. Words are
//! lower-cased once, and each field is searched where it lies.

use std::collections::HashMap;

use super::choices::{Choices, Failed, Resolved};
use crate::model::fast_hash::FastBuild;
use crate::model::{CategoryIdx, Dataset, EventIdx, EventRef, Facet};

/// What the user wants to see, whatever the date: the search words and the
/// values chosen in the facets (the legend's category and layer toggles
/// among them: a hidden category is one dropped in the category facet).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Case-insensitive words that must all appear in the event's text.
    pub text: String,
    /// Values kept or dropped, the fatalities range and the area.
    pub choices: Choices,
}

impl EventFilter {
    /// Whether the event at `idx` passes the filter. To test many events,
    /// make a [`EventFilter::matcher`] once.
    pub fn matches(&self, dataset: &Dataset, idx: EventIdx) -> bool {
        self.matcher(dataset).matches(dataset, idx)
    }

    /// The filter ready to test events of `dataset` (its words lower-cased
    /// once, its choices numbered by the dataset's facet index, which is
    /// made here when there are choices and it was not made before).
    pub fn matcher(&self, dataset: &Dataset) -> FilterMatcher {
        let choices = if self.choices.is_empty() {
            Resolved::default()
        } else {
            self.choices.resolve(dataset.facets())
        };
        FilterMatcher {
            query: TextQuery::new(&self.text),
            choices,
        }
    }

    /// Whether the filter lets everything through.
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty() && self.choices.is_empty()
    }

    /// Whether every event this filter passes also passed `earlier`, so that
    /// only `earlier`'s results need testing (the user typed on, or hid one
    /// more category).
    pub fn narrows(&self, earlier: &EventFilter) -> bool {
        self.choices.narrows(&earlier.choices)
            && TextQuery::new(&self.text).narrows(&TextQuery::new(&earlier.text))
    }

    /// Whether the legend shows category `idx` as hidden.
    pub fn is_category_hidden(&self, dataset: &Dataset, idx: CategoryIdx) -> bool {
        is_dropped(&self.choices, Facet::Category, dataset.category_name(idx))
    }

    /// Whether layer `idx` (a file) is hidden.
    pub fn is_layer_hidden(&self, dataset: &Dataset, idx: u16) -> bool {
        let name = dataset
            .layers
            .get(usize::from(idx))
            .unwrap_or(&dataset.title);
        is_dropped(&self.choices, Facet::Layer, name)
    }

    /// Shows or hides category `idx`.
    pub fn toggle_category(&mut self, dataset: &Dataset, idx: CategoryIdx) {
        self.choices
            .toggle_drop(Facet::Category, dataset.category_name(idx));
    }

    /// Shows or hides layer `idx`.
    pub fn toggle_layer(&mut self, dataset: &Dataset, idx: u16) {
        let name = dataset
            .layers
            .get(usize::from(idx))
            .unwrap_or(&dataset.title);
        self.choices.toggle_drop(Facet::Layer, name);
    }
}

/// Whether `value` is left out by the choice in `facet`.
fn is_dropped(choices: &Choices, facet: Facet, value: &str) -> bool {
    let choice = choices.get(facet);
    choice.drop.contains(value) || (!choice.keep.is_empty() && !choice.keep.contains(value))
}

/// An [`EventFilter`] with its search words prepared.
pub struct FilterMatcher {
    query: TextQuery,
    choices: Resolved,
}

impl FilterMatcher {
    /// Whether the event at `idx` passes the filter.
    pub fn matches(&self, dataset: &Dataset, idx: EventIdx) -> bool {
        self.passes(dataset, idx, None)
    }

    /// Like [`FilterMatcher::matches`], remembering in `seen` what it found
    /// in the texts events share: for testing many events on one thread.
    pub fn matches_remembering(&self, dataset: &Dataset, idx: EventIdx, seen: &mut Seen) -> bool {
        self.passes(dataset, idx, Some(seen))
    }

    /// Which of the choices by value the event fails: an event that fails
    /// one alone still counts in that one's facet. One the search leaves
    /// out counts nowhere, as one failing several does.
    pub fn verdict(&self, dataset: &Dataset, idx: EventIdx, seen: &mut Seen) -> Failed {
        let failed = self.failed_choices(dataset, idx);
        if failed == Failed::Several || !self.search_passes(dataset, idx, Some(seen)) {
            return Failed::Several;
        }
        failed
    }

    fn failed_choices(&self, dataset: &Dataset, idx: EventIdx) -> Failed {
        if self.choices.is_empty() {
            return Failed::Nothing;
        }
        let point = || dataset.place_point(*dataset.event(idx)?.places().first()?);
        self.choices.test(dataset.facets(), idx as usize, point)
    }

    fn passes(&self, dataset: &Dataset, idx: EventIdx, seen: Option<&mut Seen>) -> bool {
        self.failed_choices(dataset, idx) == Failed::Nothing
            && self.search_passes(dataset, idx, seen)
    }

    fn search_passes(&self, dataset: &Dataset, idx: EventIdx, seen: Option<&mut Seen>) -> bool {
        let Some(event) = dataset.event(idx) else {
            return false;
        };
        let words = &self.query.words;
        match seen {
            None => words.iter().all(|word| word.in_event(dataset, event, None)),
            Some(seen) => {
                seen.words.resize_with(words.len(), Default::default);
                words
                    .iter()
                    .zip(&mut seen.words)
                    .all(|(word, seen)| word.in_event(dataset, event, Some(seen)))
            }
        }
    }
}

/// What a search found in the texts that events share, by word. A title and
/// the lists of actors, places and sources are each one allocation shared by
/// every event that has them (a million ACLED events hold a few thousand),
/// so each is searched once, and the rest of the events look it up by its
/// address. Valid for one dataset, while it lives.
#[derive(Default)]
pub struct Seen {
    words: Vec<SharedAnswers>,
}

/// The most texts of one kind a [`Seen`] remembers per word (a dataset
/// whose lists are not shared would only fill it).
const SEEN_LIMIT: usize = 1 << 16;

/// One word's answers for the shared texts: titles, actor lists, place
/// lists and source lists, by address.
type SharedAnswers = [HashMap<u64, bool, FastBuild>; 4];

/// `seen[key]`, found by `search` the first time (every time without `seen`).
fn remembered(
    seen: Option<&mut HashMap<u64, bool, FastBuild>>,
    key: u64,
    search: impl FnOnce() -> bool,
) -> bool {
    let Some(seen) = seen else {
        return search();
    };
    if let Some(&hit) = seen.get(&key) {
        return hit;
    }
    let hit = search();
    if seen.len() < SEEN_LIMIT {
        seen.insert(key, hit);
    }
    hit
}

/// Search words, lower-cased: an event matches when each is in one of its
/// texts (title, summary, actors, places, category, sources, quotes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct TextQuery {
    words: Vec<Word>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Word {
    lower: String,
    ascii: bool,
}

impl TextQuery {
    /// The words of `text`.
    fn new(text: &str) -> Self {
        let words = text
            .split_whitespace()
            .map(|w| {
                let lower = w.to_lowercase();
                Word {
                    ascii: lower.is_ascii(),
                    lower,
                }
            })
            .collect();
        Self { words }
    }

    /// Whether every text this query matches, `earlier` matched too: each
    /// earlier word is within one of these.
    fn narrows(&self, earlier: &TextQuery) -> bool {
        earlier
            .words
            .iter()
            .all(|e| self.words.iter().any(|w| w.lower.contains(&e.lower)))
    }
}

impl Word {
    /// Whether one of the event's texts holds the word; the shared ones'
    /// answers are looked up in `seen` (and kept there), before the summary
    /// is searched.
    fn in_event(
        &self,
        dataset: &Dataset,
        event: EventRef<'_>,
        seen: Option<&mut SharedAnswers>,
    ) -> bool {
        let [titles, actors, places, sources] = match seen {
            Some([titles, actors, places, sources]) => {
                [Some(titles), Some(actors), Some(places), Some(sources)]
            }
            None => [None, None, None, None],
        };
        remembered(titles, event.title_key(), || self.in_text(event.title()))
            || remembered(actors, event.actors().as_ptr() as u64, || {
                event.actors().iter().any(|a| self.in_text(a))
            })
            || remembered(places, event.places_key(), || {
                event
                    .places()
                    .iter()
                    .filter_map(|&p| dataset.place(p))
                    .any(|p| self.in_text(p.name))
            })
            || remembered(sources, event.sources().key(), || {
                event.sources().iter().any(|s| self.in_text(s.name))
            })
            || self.in_text(dataset.category_name(event.category()))
            || self.in_text(event.summary())
            || event.quotes().iter().any(|q| self.in_text(&q.text))
    }

    /// Whether the lower-cased `text` contains the word.
    fn in_text(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        if self.ascii {
            // Lower-casing maps ASCII to ASCII one for one, so a match in
            // the bytes as they are is one in the lower case. And every
            // other character stays non-ASCII but for two, the Kelvin sign
            // (to `k`) and the dotted capital I (to `i` and a combining
            // dot): only where they are can the lower case match elsewhere.
            return find_ascii_ignoring_case(bytes, self.lower.as_bytes())
                || (has_char_lowering_to_ascii(bytes)
                    && text.to_lowercase().contains(&self.lower));
        } else if text.is_ascii() {
            // The lower case of ASCII is ASCII.
            return false;
        }
        text.to_lowercase().contains(&self.lower)
    }
}

/// Whether `text` holds U+0130 or U+212A, the non-ASCII characters whose
/// lower case holds ASCII.
fn has_char_lowering_to_ascii(text: &[u8]) -> bool {
    // Their UTF-8 forms are C4 B0 and E2 84 AA.
    memchr::memchr2_iter(0xc4, 0xe2, text).any(|at| {
        matches!(
            text.get(at..),
            Some([0xc4, 0xb0, ..] | [0xe2, 0x84, 0xaa, ..])
        )
    })
}

/// Whether `hay` contains `needle` (lower-case ASCII), ignoring ASCII case.
fn find_ascii_ignoring_case(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), hay)
        .take_while(|&at| at <= last_start)
        .any(|at| {
            hay.get(at + 1..at + needle.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(rest))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::Atlas;

    /// What the search meant before it was made fast: the event's texts
    /// joined and lower-cased, each word a substring of that.
    fn oracle(query: &str, dataset: &Dataset, event: EventRef<'_>) -> bool {
        let mut text = format!("{} {} ", event.title(), event.summary());
        for actor in event.actors().iter() {
            text.push_str(actor);
            text.push(' ');
        }
        for place in event.places().iter().filter_map(|&p| dataset.place(p)) {
            text.push_str(place.name);
            text.push(' ');
        }
        text.push_str(dataset.category_name(event.category()));
        for source in event.sources().iter() {
            text.push(' ');
            text.push_str(source.name);
        }
        for quote in event.quotes() {
            text.push(' ');
            text.push_str(&quote.text);
        }
        let text = text.to_lowercase();
        query
            .split_whitespace()
            .all(|w| text.contains(&w.to_lowercase()))
    }

    #[test]
    fn only_two_non_ascii_characters_lower_to_ascii() {
        let found: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii() && c.to_lowercase().any(|l| l.is_ascii()))
            .collect();
        assert_eq!(found, ['\u{130}', '\u{212a}']);
    }

    #[test]
    fn the_search_finds_what_the_joined_lower_cased_text_holds() {
        let loaded = crate::load::embedded(Atlas::embedded()).expect("seed loads");
        // Texts with the characters whose case is special.
        let dataset = loaded.dataset.rebuilt(|i, event| {
            if i == 0 {
                event.summary =
                    "The \u{212a}elvin sign, \u{130}stanbul, ΣΊΣΥΦΟΣ, Ceylanpınar".into();
            }
        });
        let queries = [
            "",
            "   ",
            "khost",
            "KHOST kunar",
            "larijani pakistan",
            "islamabad",
            "kelvin",
            "\u{212a}ELVIN",
            "istanbul",
            "i\u{307}stanbul",
            "\u{130}STANBUL",
            "σίσυφος",
            "ΣΊΣΥΦΟΣ",
            "ceylanpınar",
            "CEYLANPINAR",
            "ceylanpinar",
            "strike",
            "military strike",
            "Reuters",
            "x",
            "no-such-word",
            "said.",
            "e",
        ];
        let mut hits = 0;
        for query in queries {
            let filter = EventFilter {
                text: query.to_owned(),
                ..EventFilter::default()
            };
            let matcher = filter.matcher(&dataset);
            let mut seen = Seen::default();
            for (i, event) in dataset.events.iter().enumerate() {
                let i = EventIdx::try_from(i).expect("small");
                let expected = oracle(query, &dataset, event);
                assert_eq!(
                    matcher.matches(&dataset, i),
                    expected,
                    "{query:?} in event {i} ({})",
                    event.title()
                );
                assert_eq!(
                    matcher.matches_remembering(&dataset, i, &mut seen),
                    expected,
                    "{query:?} in event {i}, remembering ({})",
                    event.title()
                );
                hits += usize::from(expected);
            }
        }
        assert!(hits > 40, "the queries find something: {hits}");
    }

    #[test]
    fn a_longer_query_or_more_hidden_narrows() {
        let filter = |text: &str, hidden: &[CategoryIdx]| {
            let mut choices = Choices::default();
            for c in hidden {
                choices.toggle_drop(Facet::Category, &c.to_string());
            }
            EventFilter {
                text: text.to_owned(),
                choices,
            }
        };
        assert!(filter("kh", &[]).narrows(&filter("", &[])));
        assert!(filter("kho", &[]).narrows(&filter("kh", &[])));
        assert!(filter("khost kun", &[]).narrows(&filter("khost", &[])));
        assert!(filter("KHOST", &[1]).narrows(&filter("hos", &[])));
        assert!(!filter("kh", &[]).narrows(&filter("kho", &[])));
        assert!(!filter("khost", &[]).narrows(&filter("khost kun", &[])));
        assert!(!filter("khost", &[]).narrows(&filter("khost", &[1])));
        assert!(!filter("host", &[]).narrows(&filter("khost", &[])));
    }

    #[test]
    fn a_word_is_found_where_the_lower_case_holds_it() {
        // Texts and words from letters whose case is plain, special (the
        // Kelvin sign, dotted and dotless I, final sigma) or absent.
        let alphabet: Vec<char> =
            "aAkKiIsS \u{212a}\u{130}\u{131}\u{3a3}\u{3c3}\u{3c2}\u{307}é\u{c9}ب"
                .chars()
                .collect();
        let mut picker = crate::test_rng::Picker::new(0x2545_f491_4f6c_dd1d);
        let mut pick = |n: usize| picker.below(n);
        let mut found = 0;
        for _ in 0..20_000 {
            let text: String = (0..pick(12))
                .map(|_| alphabet[pick(alphabet.len())])
                .collect();
            let word: String = (0..=pick(3))
                .map(|_| alphabet[pick(alphabet.len())])
                .filter(|c| !c.is_whitespace())
                .collect();
            let Some(word) = TextQuery::new(&word).words.pop() else {
                continue;
            };
            let expected = text.to_lowercase().contains(&word.lower);
            assert_eq!(
                word.in_text(&text),
                expected,
                "{:?} in {text:?}",
                word.lower
            );
            found += usize::from(expected);
        }
        assert!(found > 1_000, "{found}");
    }

    #[test]
    fn ascii_search_ignores_case_and_stays_in_bounds() {
        assert!(find_ascii_ignoring_case(b"On 31 December", b"dec"));
        assert!(find_ascii_ignoring_case(b"ab", b"ab"));
        assert!(find_ascii_ignoring_case(b"xAB", b"ab"));
        assert!(!find_ascii_ignoring_case(b"xA", b"ab"));
        assert!(!find_ascii_ignoring_case(b"a", b"ab"));
        assert!(find_ascii_ignoring_case(b"", b""));
        assert!(!find_ascii_ignoring_case(b"", b"a"));
    }
}
