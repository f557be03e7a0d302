//! Whether values a loader looks up to share still repeat enough to be
//! worth the lookups: the titles and actor lists of ACLED rows repeat
//! ("Armed clash in Khost"), while a GDELT row's source (its article's
//! address) and the title of a row with a place of its own rarely do, and
//! there a lookup per row, and a table growing to a million entries, save
//! nothing.

/// Counts lookups and the repeats among them, a window at a time.
#[derive(Debug)]
pub struct Repeats {
    worth: bool,
    looked: u32,
    found: u32,
}

impl Default for Repeats {
    fn default() -> Self {
        Self {
            worth: true,
            looked: 0,
            found: 0,
        }
    }
}

impl Repeats {
    /// How many lookups are counted before their share of repeats is judged.
    pub const WINDOW: u32 = 1 << 16;

    /// Whether to look values up: until a window of lookups found fewer
    /// than one value in sixteen there before, and from then on not.
    pub fn worth(&self) -> bool {
        self.worth
    }

    /// Counts a lookup, and whether it found the value.
    pub fn counted(&mut self, found: bool) {
        self.looked += 1;
        self.found += u32::from(found);
        if self.looked == Self::WINDOW {
            self.worth = self.found >= Self::WINDOW / 16;
            (self.looked, self.found) = (0, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_stop_after_a_window_of_few_repeats() {
        let mut repeating = Repeats::default();
        for i in 0..3 * Repeats::WINDOW {
            repeating.counted(i % 10 != 0);
        }
        assert!(repeating.worth());
        let mut rare = Repeats::default();
        for i in 0..Repeats::WINDOW - 1 {
            rare.counted(i % 20 == 0);
        }
        assert!(rare.worth(), "judged only once a window is full");
        rare.counted(false);
        assert!(!rare.worth());
    }
}
