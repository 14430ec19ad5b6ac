//! How values read from input are written into output. Manifests, vars files,
//! workflows, file names and git revisions may come from anyone who opens a
//! pull request, and maskscope's output is read by terminals, by the GitHub
//! Actions runner (which takes `::command::` lines from stdout and stderr) and
//! by GitHub (a Markdown comment, a Mermaid graph). Every such value is
//! escaped where it is formatted, by one of these functions, so that it stays
//! one value on one line and means nothing to what reads it:
//!
//! - [`text`], for human and plain formats and every message on stderr:
//!   control characters (C0 with tab and line breaks, DEL, C1), the line and
//!   paragraph separators and the bidirectional overrides and isolates
//!   (Trojan Source) are written visibly, as `\n`, `\t`, `\r` and `\u{1b}`.
//!   A value can then neither start a line of its own nor move the cursor or
//!   reorder what a reader sees. The runner also reads the older command form
//!   `##[command]` anywhere in a line: its second `#` is written `\u{23}`.
//! - [`data`] and [`property`], for `--format github`: GitHub's own escaping
//!   of `%`, `\r`, `\n` (and `:`, `,` in properties), the other characters
//!   of [`text`] written as it writes them.
//! - [`code`] and [`code_cell`], for Markdown: every value is a code span,
//!   its fence one backtick longer than any run of backticks in it. Inside a
//!   code span CommonMark reads no HTML, link, image, emphasis or entity, and
//!   GitHub makes no mention or autolink; the value is escaped as by [`text`]
//!   first, so that it holds no line break, and in a table cell its `|` is
//!   written `\|`, which GitHub's tables read as a `|` in the cell.
//!   Everything else in the comment (headings, tables, `<details>`) is
//!   maskscope's own text.
//! - [`mermaid`], for a Mermaid label in double quotes: escaped as by
//!   [`text`], then every character but ASCII letters, digits, spaces and
//!   `.:/_-,()` as an entity code (`#35;`), which Mermaid turns into an HTML
//!   character reference, never into markup, a quote or a fence.
//!
//! JSON and SARIF need none of this: serde_json escapes every control
//! character.

use std::borrow::Cow;

/// Whether `c` is written escaped in text: a control character, a line or
/// paragraph separator, or a bidirectional override or isolate.
pub fn is_special(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// How [`text`] writes a special character: `\t`, `\n`, `\r`, else `\u{…}`.
pub fn visible(c: char) -> String {
    match c {
        '\t' => "\\t".to_owned(),
        '\n' => "\\n".to_owned(),
        '\r' => "\\r".to_owned(),
        c => format!("\\u{{{:x}}}", u32::from(c)),
    }
}

/// `s` for a terminal, a log or a plain list: special characters (see
/// [`is_special`]) written visibly, the rest as it is.
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_special) && !s.contains(OLD_COMMAND) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_special(c) {
            out.push_str(&visible(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out.replace(OLD_COMMAND, OLD_COMMAND_ESCAPED))
}

/// A line of a file shown as it is (`maskscope render`): as [`text`], and
/// a line that starts (after blanks) with `::`, a workflow command for the
/// GitHub Actions runner, with its first `:` written `\u{3a}`.
pub fn line(s: &str) -> Cow<'_, str> {
    let t = text(s);
    let blanks = t.len() - t.trim_start_matches([' ', '\t']).len();
    if t[blanks..].starts_with("::") {
        return Cow::Owned(format!("{}\\u{{3a}}{}", &t[..blanks], &t[blanks + 1..]));
    }
    t
}

/// The start of a workflow command in the runner's older form, which it
/// finds anywhere in a line.
const OLD_COMMAND: &str = "##[";
const OLD_COMMAND_ESCAPED: &str = "#\\u{23}[";

/// The message of a GitHub workflow command: `%`, `\r` and `\n` as GitHub
/// escapes them, other special characters as [`text`] writes them.
pub fn data(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if is_special(c) => out.push_str(&visible(c)),
            c => out.push(c),
        }
    }
    out.replace(OLD_COMMAND, OLD_COMMAND_ESCAPED)
}

/// A property value of a GitHub workflow command (`file=`, `title=`): as
/// [`data`], and `:` and `,`.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `s` as a Markdown code span, outside a table.
pub fn code(s: &str) -> String {
    span(&text(s))
}

/// `s` as a Markdown code span in a table cell: as [`code`], with `|` as `\|`.
pub fn code_cell(s: &str) -> String {
    span(&text(s).replace('|', "\\|"))
}

/// A code span of `s`, which holds no line break.
fn span(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A space on each side is taken off again by the reader; it keeps a
    // backtick at either end from joining the fence.
    let pad = if s.starts_with(['`', ' ']) || s.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// `s` for a Mermaid label in double quotes: as [`text`] writes it, then
/// as entity codes.
pub fn mermaid(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in text(s).chars() {
        if c.is_ascii_alphanumeric() || " .:/_-,()".contains(c) {
            out.push(c);
        } else {
            out.push_str(&format!("#{};", u32::from(c)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_writes_special_characters_visibly() {
        assert_eq!(text("a.read"), "a.read");
        assert_eq!(text("a\n::error::x"), "a\\n::error::x");
        assert_eq!(
            text("\t\r\u{1b}[31m\u{7f}\u{85}"),
            "\\t\\r\\u{1b}[31m\\u{7f}\\u{85}"
        );
        assert_eq!(
            text("x\u{2028}y\u{202e}z\u{2066}"),
            "x\\u{2028}y\\u{202e}z\\u{2066}"
        );
        assert_eq!(text("æøå"), "æøå");
        assert_eq!(text("a ##[error]x"), "a #\\u{23}[error]x");
        assert_eq!(data("a ##[error]x"), "a #\\u{23}[error]x");
    }

    #[test]
    fn github_escaping() {
        assert_eq!(data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(data("a\u{1b}b"), "a\\u{1b}b");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn code_spans_outlast_backticks() {
        assert_eq!(code("a.read"), "`a.read`");
        assert_eq!(code("a`b``c"), "```a`b``c```");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a\nb"), "`a\\nb`");
        assert_eq!(code_cell("a|b"), "`a\\|b`");
        assert_eq!(code(""), "");
    }

    #[test]
    fn mermaid_labels_are_entity_codes() {
        assert_eq!(mermaid("nav:a.read"), "nav:a.read");
        assert_eq!(mermaid("a\"]\n```"), "a#34;#93;#92;n#96;#96;#96;");
        assert_eq!(mermaid("<b>#"), "#60;b#62;#35;");
    }
}

/// JSON as `serde_json` pretty-prints it, with what it leaves raw in strings
/// escaped too: DEL, C1 controls, line and paragraph separators and
/// bidirectional overrides as `\uXXXX`, and `##[` (the Actions runner's older
/// command form, which it finds anywhere in a log line) as `#\u0023[`. The
/// JSON means the same; a log that shows it cannot be steered by it.
pub fn to_json_writer<W: std::io::Write, T: serde::Serialize + ?Sized>(
    writer: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(writer, Inert::default());
    value.serialize(&mut ser)
}

/// [`to_json_writer`], into a string.
pub fn to_json_string<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    to_json_writer(&mut out, value)?;
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

/// serde_json's pretty formatter, writing string contents as
/// [`to_json_writer`] says.
#[derive(Default)]
struct Inert(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for Inert {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some((i, c)) = rest
            .char_indices()
            .find(|&(i, c)| (is_special(c) && c >= '\u{7f}') || rest[i..].starts_with("##["))
        {
            writer.write_all(&rest.as_bytes()[..i])?;
            if c == '#' {
                writer.write_all(b"#\\u0023[")?;
                rest = &rest[i + 3..];
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                rest = &rest[i + c.len_utf8()..];
            }
        }
        writer.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod json_tests {
    #[test]
    fn json_strings_carry_no_runner_command_and_no_raw_separator() {
        let v = serde_json::json!({"a": "x ##[error]y \u{2028} \u{202e} \u{9b} ok"});
        let text = super::to_json_string(&v).unwrap();
        assert!(!text.contains("##["), "{text}");
        assert!(
            text.contains(r"x #\u0023[error]y \u2028 \u202e \u009b ok"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
        assert_eq!(
            text,
            serde_json::to_string_pretty(&back)
                .unwrap()
                .replace("##[", r"#\u0023[")
                .replace('\u{2028}', r"\u2028")
                .replace('\u{202e}', r"\u202e")
                .replace('\u{9b}', r"\u009b")
        );
    }
}
