//! A slide's caption: a few lines with `**bold**`, `*italics*` and
//! `[links](https://…)`, read into styled runs that the
//! window and the headless renderer both draw. A marker left open is text.

/// A run of text in one style.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Run {
    /// The words.
    pub text: String,
    /// Whether it is bold.
    pub bold: bool,
    /// Whether it is in italics.
    pub italic: bool,
    /// Where it links to.
    pub link: Option<String>,
}

/// The caption's lines, each a list of runs (an empty line is a gap).
pub fn parse(caption: &str) -> Vec<Vec<Run>> {
    caption.lines().map(parse_line).collect()
}

/// The caption as plain text, the markers taken out.
pub fn plain(caption: &str) -> String {
    parse(caption)
        .iter()
        .map(|line| line.iter().map(|r| r.text.as_str()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Clone, Copy, Default)]
struct Style {
    bold: bool,
    italic: bool,
}

fn parse_line(line: &str) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut text = String::new();
    let mut style = Style::default();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if let Some((shown, target, after)) = link_at(rest) {
            push(&mut runs, &mut text, style, None);
            text.push_str(shown);
            push(&mut runs, &mut text, style, Some(target.to_owned()));
            rest = after;
            continue;
        }
        if let Some(after) = rest.strip_prefix("**") {
            if style.bold || after.contains("**") {
                push(&mut runs, &mut text, style, None);
                style.bold = !style.bold;
            } else {
                // A bold left open is text, not two italics.
                text.push_str("**");
            }
            rest = after;
            continue;
        }
        if c == '*'
            && let Some(after) = rest.get(1..)
            && (style.italic || after.contains('*'))
        {
            push(&mut runs, &mut text, style, None);
            style.italic = !style.italic;
            rest = after;
            continue;
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    push(&mut runs, &mut text, style, None);
    runs
}

/// `[shown](target)` at the start of `text`: the shown words, the target
/// and what follows.
fn link_at(text: &str) -> Option<(&str, &str, &str)> {
    let inner = text.strip_prefix('[')?;
    let close = inner.find("](")?;
    let shown = &inner[..close];
    let after = &inner[close + 2..];
    let end = after.find(')')?;
    let target = &after[..end];
    (!shown.is_empty() && !target.contains(char::is_whitespace)).then_some((
        shown,
        target,
        &after[end + 1..],
    ))
}

fn push(runs: &mut Vec<Run>, text: &mut String, style: Style, link: Option<String>) {
    if text.is_empty() {
        return;
    }
    runs.push(Run {
        text: std::mem::take(text),
        bold: style.bold,
        italic: style.italic,
        link,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, bold: bool, italic: bool) -> Run {
        Run {
            text: text.into(),
            bold,
            italic,
            link: None,
        }
    }

    #[test]
    fn bold_italics_and_links_become_runs() {
        let lines =
            parse("Talks in **Istanbul**, *then* [Reuters](https://x.org/a) says\nline two");
        assert_eq!(
            lines[0],
            [
                run("Talks in ", false, false),
                run("Istanbul", true, false),
                run(", ", false, false),
                run("then", false, true),
                run(" ", false, false),
                Run {
                    link: Some("https://x.org/a".into()),
                    ..run("Reuters", false, false)
                },
                run(" says", false, false),
            ]
        );
        assert_eq!(lines[1], [run("line two", false, false)]);
    }

    #[test]
    fn a_marker_left_open_is_text() {
        assert_eq!(parse("5 * 3 = 15")[0], [run("5 * 3 = 15", false, false)]);
        assert_eq!(parse("**open")[0], [run("**open", false, false)]);
        assert_eq!(parse("[no link]")[0], [run("[no link]", false, false)]);
        assert_eq!(plain("**a** *b* [c](d)"), "a b c");
    }
}
