//! Named views a user comes back to: a date, a window, a map camera, the
//! filters and the selection, kept in the order the user gives them. Those
//! marked for the story, with their captions, are the slides "Present"
//! steps through.

use crate::model::Day;
use crate::scene::Camera;
use crate::time::{EventFilter, WindowRule, WindowWidth};

/// One named view.
#[derive(Clone, Debug, PartialEq)]
pub struct Bookmark {
    /// What the user calls it.
    pub name: String,
    /// The date cursor.
    pub date: Day,
    /// The window's width.
    pub window: WindowWidth,
    /// Which events the window holds.
    pub rule: WindowRule,
    /// Where the map looks.
    pub camera: Camera,
    /// The map's size in pixels when it was kept, so that a smaller map
    /// still shows all it showed (see [`Camera::for_map`]).
    pub map_px: Option<[f32; 2]>,
    /// The search and the facets' choices.
    pub filter: EventFilter,
    /// The selected event's id: ids outlive a reload, which may number
    /// the events anew.
    pub selection: Option<String>,
    /// A few lines shown with the view when it is presented (`**bold**`,
    /// `*italics*`, `[links](https://…)`; see [`super::caption`]).
    pub caption: String,
    /// Whether the story presents it.
    pub in_story: bool,
}

/// A change to the bookmarks.
#[derive(Clone, Debug, PartialEq)]
pub enum BookmarkCommand {
    /// Keep the current view under a name (a made-up one when empty).
    Add(String),
    /// Give a bookmark another name.
    Rename(usize, String),
    /// Move a bookmark from one place in the list to another.
    Move { from: usize, to: usize },
    /// Forget a bookmark.
    Delete(usize),
    /// Go to a bookmark: its filters and selection at once, the date and
    /// the camera over about half a second.
    GoTo(usize),
    /// Give a bookmark a caption.
    SetCaption(usize, String),
    /// Put a bookmark in the story or take it out.
    SetInStory(usize, bool),
}

/// The bookmarks, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bookmarks {
    list: Vec<Bookmark>,
}

impl Bookmarks {
    /// Every bookmark, in order.
    pub fn list(&self) -> &[Bookmark] {
        &self.list
    }

    /// The bookmark at `i`.
    pub fn get(&self, i: usize) -> Option<&Bookmark> {
        self.list.get(i)
    }

    /// The bookmarks in `list`'s order (a project's, read back).
    pub fn from_list(list: Vec<Bookmark>) -> Self {
        Self { list }
    }

    /// The story's slides: the positions of the bookmarks it presents, in order.
    pub fn slides(&self) -> Vec<usize> {
        self.slide_positions().collect()
    }

    /// How many slides the story has (asked each frame: no list made).
    pub fn slide_count(&self) -> usize {
        self.list.iter().filter(|b| b.in_story).count()
    }

    /// The position of the story's slide `n` among the bookmarks.
    pub fn slide(&self, n: usize) -> Option<usize> {
        self.slide_positions().nth(n)
    }

    fn slide_positions(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.list.len()).filter(|&i| self.list[i].in_story)
    }

    /// Adds `bookmark` at the end; an empty name becomes "View N".
    pub(super) fn add(&mut self, mut bookmark: Bookmark) {
        if bookmark.name.trim().is_empty() {
            bookmark.name = format!("View {}", self.list.len() + 1);
        }
        self.list.push(bookmark);
    }

    /// Applies a change other than [`BookmarkCommand::Add`] and
    /// [`BookmarkCommand::GoTo`] (which need the view); an index past the
    /// end changes nothing.
    pub(super) fn edit(&mut self, command: &BookmarkCommand) {
        match command {
            BookmarkCommand::Rename(i, name) => {
                if let Some(b) = self.list.get_mut(*i)
                    && !name.trim().is_empty()
                {
                    b.name = name.trim().to_owned();
                }
            }
            BookmarkCommand::Move { from, to } => {
                if *from < self.list.len() && *to < self.list.len() {
                    let moved = self.list.remove(*from);
                    self.list.insert(*to, moved);
                }
            }
            BookmarkCommand::Delete(i) => {
                if *i < self.list.len() {
                    self.list.remove(*i);
                }
            }
            BookmarkCommand::SetCaption(i, caption) => {
                if let Some(b) = self.list.get_mut(*i) {
                    b.caption.clone_from(caption);
                }
            }
            BookmarkCommand::SetInStory(i, on) => {
                if let Some(b) = self.list.get_mut(*i) {
                    b.in_story = *on;
                }
            }
            BookmarkCommand::Add(_) | BookmarkCommand::GoTo(_) => {}
        }
    }
}
