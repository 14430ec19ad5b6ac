//! Splits a template into tokens exactly as raymond's lexer (`lexer/lexer.go`
//! of aymerick/raymond v2.0.2) does: what is content and what is a tag decides
//! every byte of the rendered text, so the rules here are raymond's, quirks
//! included (`{{elsewhere}}` opens an `else` chain, `\{{` escapes a tag,
//! a comment closes at its first `}}`).

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Error,
    Eof,
    Open,
    Close,
    OpenRawBlock,
    CloseRawBlock,
    OpenEndRawBlock,
    OpenUnescaped,
    CloseUnescaped,
    OpenBlock,
    OpenEndBlock,
    Inverse,
    OpenInverse,
    OpenInverseChain,
    OpenPartial,
    Comment,
    OpenSexpr,
    CloseSexpr,
    Equals,
    Data,
    Sep,
    OpenBlockParams,
    CloseBlockParams,
    Content,
    Id,
    String,
    Number,
    Boolean,
}

impl Kind {
    /// raymond's name for the token, for error messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Error => "Error",
            Kind::Eof => "EOF",
            Kind::Open => "Open",
            Kind::Close => "Close",
            Kind::OpenRawBlock => "OpenRawBlock",
            Kind::CloseRawBlock => "CloseRawBlock",
            Kind::OpenEndRawBlock => "OpenEndRawBlock",
            Kind::OpenUnescaped => "OpenUnescaped",
            Kind::CloseUnescaped => "CloseUnescaped",
            Kind::OpenBlock => "OpenBlock",
            Kind::OpenEndBlock => "OpenEndBlock",
            Kind::Inverse => "Inverse",
            Kind::OpenInverse => "OpenInverse",
            Kind::OpenInverseChain => "OpenInverseChain",
            Kind::OpenPartial => "OpenPartial",
            Kind::Comment => "Comment",
            Kind::OpenSexpr => "OpenSexpr",
            Kind::CloseSexpr => "CloseSexpr",
            Kind::Equals => "Equals",
            Kind::Data => "Data",
            Kind::Sep => "Sep",
            Kind::OpenBlockParams => "OpenBlockParams",
            Kind::CloseBlockParams => "CloseBlockParams",
            Kind::Content => "Content",
            Kind::Id => "ID",
            Kind::String => "String",
            Kind::Number => "Number",
            Kind::Boolean => "Boolean",
        }
    }
}

/// One token: its kind, its value (for a string literal, without quotes and
/// with escaped delimiters unescaped; for an error, the message) and where it
/// starts in the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub val: String,
    pub pos: usize,
    /// Where it ends (for content: the byte range of `val` is `pos..end`).
    pub end: usize,
}

/// Characters that end an identifier (raymond's `unallowedIDChars`).
const UNALLOWED_ID: &[u8] = b" \n\t!\"#%&'()*+,./;<=>@[\\]^`{|}~";

/// Go's `\s`.
fn space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

/// The tokens of `input`, ending with an `Eof` or an `Error` token.
pub fn tokens(input: &str) -> Vec<Token> {
    let mut l = Lexer {
        input,
        pos: 0,
        start: 0,
        close_comment: CloseComment::Plain,
        raw_block: false,
        out: Vec::new(),
    };
    let mut state = State::Content;
    loop {
        state = match state {
            State::Content => l.content(),
            State::EscapedOpen => l.escaped_open(),
            State::OpenMustache => l.open_mustache(),
            State::CloseMustache => l.close_mustache(),
            State::Expression => l.expression(),
            State::Comment => l.comment(),
            State::Done => break,
        };
        // Each token is at least one byte, so this bounds the work.
        if l.out.len() > input.len() + 2 {
            break;
        }
    }
    l.out
}

#[derive(Clone, Copy)]
enum State {
    Content,
    EscapedOpen,
    OpenMustache,
    CloseMustache,
    Expression,
    Comment,
    Done,
}

#[derive(Clone, Copy)]
enum CloseComment {
    Plain,
    Dash,
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    close_comment: CloseComment,
    raw_block: bool,
    out: Vec<Token>,
}

impl Lexer<'_> {
    fn rest(&self) -> &[u8] {
        &self.input.as_bytes()[self.pos..]
    }

    fn is(&self, s: &str) -> bool {
        self.rest().starts_with(s.as_bytes())
    }

    /// The next character, consumed (`None` at the end).
    fn next(&mut self) -> Option<char> {
        let c = self.input[self.pos..].chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn peek(&self) -> Option<char> {
        self.input[self.pos..].chars().next()
    }

    fn produce(&mut self, kind: Kind, val: String) {
        self.out.push(Token {
            kind,
            val,
            pos: self.start,
            end: self.pos,
        });
        self.start = self.pos;
    }

    fn emit(&mut self, kind: Kind) {
        let val = self.input[self.start..self.pos].to_owned();
        self.produce(kind, val);
    }

    fn emit_content(&mut self) {
        if self.pos > self.start {
            self.emit(Kind::Content);
        }
    }

    fn error(&mut self, message: String) -> State {
        self.out.push(Token {
            kind: Kind::Error,
            val: message,
            pos: self.start,
            end: self.pos,
        });
        State::Done
    }

    fn content(&mut self) -> State {
        let mut next = None;
        if self.raw_block {
            match self.input[self.pos..].find("{{{{/") {
                Some(i) => {
                    self.raw_block = false;
                    self.pos += i;
                    next = Some(State::OpenMustache);
                }
                None => return self.error("Unclosed raw block".into()),
            }
        } else if self.is("\\\\{{") {
            self.next();
            self.emit_content();
            self.next();
            self.start = self.pos;
            next = Some(State::Content);
        } else if self.is("\\{{") {
            next = Some(State::EscapedOpen);
        } else if open_comment(self.rest(), true).is_some() {
            self.close_comment = CloseComment::Dash;
            next = Some(State::Comment);
        } else if open_comment(self.rest(), false).is_some() {
            self.close_comment = CloseComment::Plain;
            next = Some(State::Comment);
        } else if self.is("{{") {
            next = Some(State::OpenMustache);
        }
        if let Some(next) = next {
            self.emit_content();
            return next;
        }
        if self.next().is_none() {
            self.emit_content();
            self.emit(Kind::Eof);
            return State::Done;
        }
        State::Content
    }

    fn escaped_open(&mut self) -> State {
        self.next();
        self.start = self.pos;
        while self.peek() == Some('{') {
            self.next();
        }
        State::Content
    }

    fn open_mustache(&mut self) -> State {
        let r = self.rest();
        let tilde = usize::from(r.get(2) == Some(&b'~'));
        let after = &r[2 + tilde..];
        let mut next = State::Expression;
        let (len, kind) = if r.starts_with(b"{{{{/") {
            (5, Kind::OpenEndRawBlock)
        } else if r.starts_with(b"{{{{") {
            self.raw_block = true;
            (4, Kind::OpenRawBlock)
        } else if after.starts_with(b"{") {
            (3 + tilde, Kind::OpenUnescaped)
        } else if after.starts_with(b"#") {
            (3 + tilde, Kind::OpenBlock)
        } else if after.starts_with(b"/") {
            (3 + tilde, Kind::OpenEndBlock)
        } else if after.starts_with(b">") {
            (3 + tilde, Kind::OpenPartial)
        } else if let Some(n) = inverse(r) {
            next = State::Content;
            (n, Kind::Inverse)
        } else if after.starts_with(b"^") {
            (3 + tilde, Kind::OpenInverse)
        } else if let Some(n) = open_inverse_chain(r) {
            (n, Kind::OpenInverseChain)
        } else {
            (2 + tilde + usize::from(after.starts_with(b"&")), Kind::Open)
        };
        self.pos += len;
        self.emit(kind);
        next
    }

    fn close_mustache(&mut self) -> State {
        let r = self.rest();
        let (len, kind) = if r.starts_with(b"}}}}") {
            (4, Kind::CloseRawBlock)
        } else if r.starts_with(b"}}}") {
            (3, Kind::CloseUnescaped)
        } else if r.starts_with(b"}~}}") {
            (4, Kind::CloseUnescaped)
        } else if r.starts_with(b"~}}") {
            (3, Kind::Close)
        } else {
            (2, Kind::Close)
        };
        self.pos += len;
        self.emit(kind);
        State::Content
    }

    fn expression(&mut self) -> State {
        if self.is("}}") || self.is("~}}") || self.is("}~}}") {
            return State::CloseMustache;
        }
        let r = self.rest();
        if r.starts_with(b"as") {
            let spaces = r[2..].iter().take_while(|&&b| space(b)).count();
            if spaces > 0 && r.get(2 + spaces) == Some(&b'|') {
                self.pos += 3 + spaces;
                self.emit(Kind::OpenBlockParams);
                return State::Expression;
            }
        }
        if r.starts_with(b"..") {
            self.pos += 2;
            self.emit(Kind::Id);
            return State::Expression;
        }
        if r.first() == Some(&b'.')
            && r.get(1)
                .is_some_and(|&b| space(b) || b"=~}/)|".contains(&b))
        {
            self.pos += 1;
            self.emit(Kind::Id);
            return State::Expression;
        }
        for word in ["true", "false"] {
            if r.starts_with(word.as_bytes())
                && r.get(word.len())
                    .is_some_and(|&b| space(b) || b"~})".contains(&b))
            {
                self.pos += word.len();
                self.emit(Kind::Boolean);
                return State::Expression;
            }
        }
        let Some(c) = self.next() else {
            return self.error("Unclosed expression".into());
        };
        match c {
            ' ' | '\t' | '\n' => {
                while matches!(self.peek(), Some(' ' | '\t' | '\n')) {
                    self.next();
                }
                self.start = self.pos;
            }
            '(' => self.emit(Kind::OpenSexpr),
            ')' => self.emit(Kind::CloseSexpr),
            '=' => self.emit(Kind::Equals),
            '@' => self.emit(Kind::Data),
            '"' | '\'' => return self.string(c),
            '/' | '.' => self.emit(Kind::Sep),
            '|' => self.emit(Kind::CloseBlockParams),
            '+' | '-' | '0'..='9' => {
                self.pos -= 1;
                return self.number();
            }
            '[' => return self.path_literal(),
            c if !(c.is_ascii() && UNALLOWED_ID.contains(&(c as u8))) => {
                self.pos -= c.len_utf8();
                let len = self.input[self.pos..]
                    .find(|c: char| c.is_ascii() && UNALLOWED_ID.contains(&(c as u8)))
                    .unwrap_or(self.input.len() - self.pos);
                self.pos += len;
                self.emit(Kind::Id);
            }
            c => return self.error(format!("Unexpected character in expression: '{c}'")),
        }
        State::Expression
    }

    fn comment(&mut self) -> State {
        loop {
            if let Some(n) = close_comment(self.rest(), self.close_comment) {
                self.pos += n;
                self.emit(Kind::Comment);
                return State::Content;
            }
            // Every position in a run of blanks sees the same text after the
            // run: none of them closes the comment if the first does not.
            // Skipping the run keeps a long one linear.
            let blanks = self.rest().iter().take_while(|&&b| space(b)).count();
            if blanks > 1 {
                self.pos += blanks - 1;
            }
            if self.next().is_none() {
                return self.error("Unclosed comment".into());
            }
        }
    }

    fn string(&mut self, delim: char) -> State {
        self.start = self.pos;
        let mut prev = None;
        loop {
            match self.next() {
                None | Some('\n') => return self.error("Unterminated string".into()),
                Some(c) if c == delim && prev != Some('\\') => break,
                c => prev = c,
            }
        }
        self.pos -= 1;
        let val =
            self.input[self.start..self.pos].replace(&format!("\\{delim}"), &delim.to_string());
        self.produce(Kind::String, val);
        self.pos += 1;
        self.start = self.pos;
        State::Expression
    }

    fn number(&mut self) -> State {
        if !self.scan_number() {
            return self.error(format!(
                "bad number syntax: {:?}",
                &self.input[self.start..self.pos]
            ));
        }
        if matches!(self.peek(), Some('+' | '-'))
            && (!self.scan_number() || self.input.as_bytes()[self.pos - 1] != b'i')
        {
            return self.error(format!(
                "bad number syntax: {:?}",
                &self.input[self.start..self.pos]
            ));
        }
        self.emit(Kind::Number);
        State::Expression
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.peek() {
            Some(c) if valid.contains(c) => {
                self.next();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789";
        if self.accept("0") && self.accept("xX") {
            digits = "0123456789abcdefABCDEF";
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789");
        }
        self.accept("i");
        if self
            .peek()
            .is_some_and(|c| c == '_' || c.is_alphabetic() || c.is_numeric())
        {
            self.next();
            return false;
        }
        true
    }

    fn path_literal(&mut self) -> State {
        loop {
            match self.next() {
                None | Some('\n') => return self.error("Unterminated path literal".into()),
                Some(']') => break,
                _ => {}
            }
        }
        self.emit(Kind::Id);
        State::Expression
    }
}

/// `^\{\{~?!--\s*` (dash) or `^\{\{~?!\s*`: the length of an opening comment.
fn open_comment(r: &[u8], dash: bool) -> Option<usize> {
    let r = r.strip_prefix(b"{{")?;
    let r = r.strip_prefix(b"~").unwrap_or(r);
    let r = r.strip_prefix(b"!")?;
    if dash {
        r.strip_prefix(b"--")?;
    }
    Some(1)
}

/// `^\s*--~?\}\}` (dash) or `^\s*~?\}\}`: the length of a closing comment.
fn close_comment(r: &[u8], kind: CloseComment) -> Option<usize> {
    let spaces = r.iter().take_while(|&&b| space(b)).count();
    let mut n = spaces;
    if let CloseComment::Dash = kind {
        if !r[n..].starts_with(b"--") {
            return None;
        }
        n += 2;
    }
    if r[n..].starts_with(b"~") {
        n += 1;
    }
    r[n..].starts_with(b"}}").then_some(n + 2)
}

/// `^(\{\{~?\^\s*~?\}\}|\{\{~?\s*else\s*~?\}\})`: the length of a standalone
/// `{{^}}` or `{{else}}`.
fn inverse(r: &[u8]) -> Option<usize> {
    let mut n = 2;
    if r.get(n) == Some(&b'~') {
        n += 1;
    }
    let close = |mut n: usize| {
        n += r[n..].iter().take_while(|&&b| space(b)).count();
        if r.get(n) == Some(&b'~') {
            n += 1;
        }
        r[n..].starts_with(b"}}").then_some(n + 2)
    };
    if r.get(n) == Some(&b'^')
        && let Some(end) = close(n + 1)
    {
        return Some(end);
    }
    let m = n + r[n..].iter().take_while(|&&b| space(b)).count();
    if r[m..].starts_with(b"else") {
        return close(m + 4);
    }
    None
}

/// `^\{\{~?\s*else`: the length of an opening `{{else ...`.
fn open_inverse_chain(r: &[u8]) -> Option<usize> {
    let mut n = 2;
    if r.get(n) == Some(&b'~') {
        n += 1;
    }
    n += r[n..].iter().take_while(|&&b| space(b)).count();
    r[n..].starts_with(b"else").then_some(n + 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(Kind, String)> {
        tokens(s).into_iter().map(|t| (t.kind, t.val)).collect()
    }

    #[test]
    fn content_tags_and_escapes() {
        use Kind::*;
        assert_eq!(
            kinds("a {{x.y}} \\{{z}} {{~#if b~}}"),
            vec![
                (Content, "a ".into()),
                (Open, "{{".into()),
                (Id, "x".into()),
                (Sep, ".".into()),
                (Id, "y".into()),
                (Close, "}}".into()),
                (Content, " ".into()),
                (Content, "{{z}} ".into()),
                (OpenBlock, "{{~#".into()),
                (Id, "if".into()),
                (Id, "b".into()),
                (Close, "~}}".into()),
                (Eof, "".into()),
            ]
        );
    }

    #[test]
    fn a_long_run_of_blanks_in_an_unclosed_comment_is_read_once() {
        let t = format!("{{{{!{}", " ".repeat(2_000_000));
        let started = std::time::Instant::now();
        assert_eq!(tokens(&t).last().unwrap().kind, Kind::Error);
        assert!(started.elapsed().as_secs() < 5);
        let t = format!("{{{{!--{}--}}}}x", " ".repeat(100));
        assert_eq!(tokens(&t)[0].kind, Kind::Comment);
    }

    #[test]
    fn comments_else_and_literals() {
        use Kind::*;
        assert_eq!(kinds("{{! a }}")[0], (Comment, "{{! a }}".into()));
        assert_eq!(kinds("{{!-- }} --}}")[0], (Comment, "{{!-- }} --}}".into()));
        assert_eq!(kinds("{{ else }}")[0], (Inverse, "{{ else }}".into()));
        assert_eq!(
            kinds("{{else if x}}")[0],
            (OpenInverseChain, "{{else".into())
        );
        let t = kinds("{{f \"a\\\"b\" 1.5 true}}");
        assert_eq!(t[2], (String, "a\"b".into()));
        assert_eq!(t[3], (Number, "1.5".into()));
        assert_eq!(t[4], (Boolean, "true".into()));
        assert_eq!(kinds("{{1a}}")[1].0, Error);
    }
}
