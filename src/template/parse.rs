//! Builds the tree of a template from its tokens as raymond's parser
//! (`parser/parser.go`) does, then applies raymond's whitespace control
//! (see `whitespace`). A template raymond refuses is refused here, with
//! raymond's reason and where it stands.

use super::ast::{
    Block, Comment, Content, Expr, Mustache, Param, Partial, PathExpr, Program, Strip,
};
use super::lex::{self, Kind, Token};

/// Why raymond cannot parse a template, and the byte offset it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub at: usize,
}

type Result<T> = std::result::Result<T, ParseError>;

/// The tree of `input`, whitespace control applied.
pub fn parse(input: &str) -> Result<Program> {
    let mut p = Parser {
        tokens: lex::tokens(input),
        i: 0,
    };
    let mut program = p.program()?;
    let tok = p.shift()?;
    if tok.kind != Kind::Eof {
        return Err(err(&tok, "Syntax error"));
    }
    super::whitespace::process(&mut program, input);
    Ok(program)
}

fn describe(tok: &Token) -> String {
    if tok.val.is_empty() {
        tok.kind.name().to_owned()
    } else {
        format!("{}{{{:?}}}", tok.kind.name(), tok.val)
    }
}

fn err(tok: &Token, message: &str) -> ParseError {
    ParseError {
        message: format!("{message} (token: {})", describe(tok)),
        at: tok.pos,
    }
}

fn expected(kind: Kind, tok: &Token) -> ParseError {
    ParseError {
        message: format!("expecting {}, got: {}", kind.name(), describe(tok)),
        at: tok.pos,
    }
}

struct Parser {
    tokens: Vec<Token>,
    i: usize,
}

impl Parser {
    fn next(&self) -> &Token {
        &self.tokens[self.i.min(self.tokens.len() - 1)]
    }

    fn next_at(&self, n: usize) -> Option<&Token> {
        self.tokens.get(self.i + n)
    }

    fn shift(&mut self) -> Result<Token> {
        let tok = self.next().clone();
        if self.i < self.tokens.len() {
            self.i += 1;
        }
        if tok.kind == Kind::Error {
            return Err(ParseError {
                message: format!("Lexer error: {}", tok.val),
                at: tok.pos,
            });
        }
        Ok(tok)
    }

    fn is(&self, kind: Kind) -> bool {
        self.i < self.tokens.len() && self.next().kind == kind
    }

    fn program(&mut self) -> Result<Program> {
        let mut program = Program::default();
        while self.i < self.tokens.len()
            && matches!(
                self.next().kind,
                Kind::Open
                    | Kind::OpenUnescaped
                    | Kind::OpenBlock
                    | Kind::OpenInverse
                    | Kind::OpenRawBlock
                    | Kind::OpenPartial
                    | Kind::Content
                    | Kind::Comment
            )
        {
            let node = match self.next().kind {
                Kind::Open | Kind::OpenUnescaped => super::ast::Node::Mustache(self.mustache()?),
                Kind::OpenBlock => super::ast::Node::Block(self.block()?),
                Kind::OpenInverse => super::ast::Node::Block(self.inverse_block()?),
                Kind::OpenRawBlock => super::ast::Node::Block(self.raw_block()?),
                Kind::OpenPartial => super::ast::Node::Partial(self.partial()?),
                Kind::Content => super::ast::Node::Content(self.content()?),
                _ => super::ast::Node::Comment(self.comment()?),
            };
            program.body.push(node);
        }
        Ok(program)
    }

    fn content(&mut self) -> Result<Content> {
        let tok = self.shift()?;
        if tok.kind != Kind::Content {
            return Err(expected(Kind::Content, &tok));
        }
        Ok(Content {
            range: tok.pos..tok.end,
            left_stripped: false,
            right_stripped: false,
        })
    }

    fn comment(&mut self) -> Result<Comment> {
        let tok = self.shift()?;
        Ok(Comment {
            strip: Strip::new(&tok.val, &tok.val),
        })
    }

    fn expression(&mut self) -> Result<Expr> {
        let path = self.helper_name()?;
        let mut params = Vec::new();
        while self.is_param() {
            params.push(self.param()?);
        }
        let mut hash = Vec::new();
        while self.is_hash_segment() {
            let key = self.shift()?.val;
            self.shift()?;
            hash.push((key, self.param()?));
        }
        Ok(Expr { path, params, hash })
    }

    fn raw_block(&mut self) -> Result<Block> {
        let open = self.shift()?;
        let expr = self.expression()?;
        let open_name = expr.canonical();
        let tok = self.shift()?;
        if tok.kind != Kind::CloseRawBlock {
            return Err(expected(Kind::CloseRawBlock, &tok));
        }
        let content = self.content()?;
        let tag = open.pos..tok.end;
        let program = Program {
            body: vec![super::ast::Node::Content(content)],
            ..Program::default()
        };
        let tok = self.shift()?;
        if tok.kind != Kind::OpenEndRawBlock {
            return Err(expected(Kind::OpenEndRawBlock, &tok));
        }
        self.close_name(&open_name)?;
        let tok = self.shift()?;
        if tok.kind != Kind::CloseRawBlock {
            return Err(expected(Kind::CloseRawBlock, &tok));
        }
        Ok(Block {
            expr,
            program: Some(program),
            inverse: None,
            open_strip: None,
            inverse_strip: None,
            close_strip: None,
            tag: tag.clone(),
            range: tag.start..tok.end,
        })
    }

    /// The name in a closing tag, which must repeat the opening one's.
    fn close_name(&mut self, open_name: &str) -> Result<()> {
        let at = self.next().clone();
        let end = self.helper_name()?;
        let Some(close_name) = super::ast::helper_name_str(&end) else {
            return Err(err(&at, "Erroneous closing expression"));
        };
        if open_name != close_name {
            return Err(ParseError {
                message: format!("{open_name} doesn't match {close_name}"),
                at: at.pos,
            });
        }
        Ok(())
    }

    fn block(&mut self) -> Result<Block> {
        let (mut block, params) = self.open_block()?;
        let mut program = self.program()?;
        program.block_params = params;
        block.program = Some(program);
        if self.is_inverse_chain() {
            block.inverse = Some(self.inverse_chain()?);
        }
        self.close_block(&mut block)?;
        set_inverse_strip(&mut block);
        Ok(block)
    }

    fn inverse_block(&mut self) -> Result<Block> {
        let (mut block, params) = self.open_block()?;
        let mut program = self.program()?;
        program.block_params = params;
        block.inverse = Some(program);
        if self.is(Kind::Inverse) {
            block.program = Some(self.inverse_and_program()?);
        }
        self.close_block(&mut block)?;
        set_inverse_strip(&mut block);
        Ok(block)
    }

    fn inverse_chain(&mut self) -> Result<Program> {
        if self.is(Kind::Inverse) {
            return self.inverse_and_program();
        }
        let (mut block, params) = self.open_block()?;
        let mut program = self.program()?;
        program.block_params = params;
        block.program = Some(program);
        if self.is_inverse_chain() {
            block.inverse = Some(self.inverse_chain()?);
        }
        set_inverse_strip(&mut block);
        // The chained block ends where the enclosing block's closing tag starts.
        block.range.end = self.next().pos;
        Ok(Program {
            body: vec![super::ast::Node::Block(block)],
            chained: true,
            ..Program::default()
        })
    }

    fn is_inverse_chain(&self) -> bool {
        self.is(Kind::OpenInverseChain) || self.is(Kind::Inverse)
    }

    fn inverse_and_program(&mut self) -> Result<Program> {
        let tok = self.shift()?;
        let mut program = self.program()?;
        program.strip = Some(Strip::new(&tok.val, &tok.val));
        Ok(program)
    }

    fn open_block(&mut self) -> Result<(Block, Vec<String>)> {
        let tok = self.shift()?;
        let expr = self.expression()?;
        let mut params = Vec::new();
        if self.is(Kind::OpenBlockParams) {
            self.shift()?;
            while self.is(Kind::Id) {
                params.push(self.shift()?.val);
            }
            if params.is_empty() {
                return Err(expected(Kind::Id, self.next()));
            }
            let close = self.shift()?;
            if close.kind != Kind::CloseBlockParams {
                return Err(expected(Kind::CloseBlockParams, &close));
            }
        }
        let close = self.shift()?;
        if close.kind != Kind::Close {
            return Err(expected(Kind::Close, &close));
        }
        let block = Block {
            expr,
            program: None,
            inverse: None,
            open_strip: Some(Strip::new(&tok.val, &close.val)),
            inverse_strip: None,
            close_strip: None,
            tag: tok.pos..close.end,
            range: tok.pos..close.end,
        };
        Ok((block, params))
    }

    fn close_block(&mut self, block: &mut Block) -> Result<()> {
        let tok = self.shift()?;
        if tok.kind != Kind::OpenEndBlock {
            return Err(expected(Kind::OpenEndBlock, &tok));
        }
        self.close_name(&block.expr.canonical())?;
        let close = self.shift()?;
        if close.kind != Kind::Close {
            return Err(expected(Kind::Close, &close));
        }
        block.close_strip = Some(Strip::new(&tok.val, &close.val));
        block.range.end = close.end;
        Ok(())
    }

    fn mustache(&mut self) -> Result<Mustache> {
        let tok = self.shift()?;
        let close_kind = if tok.kind == Kind::OpenUnescaped {
            Kind::CloseUnescaped
        } else {
            Kind::Close
        };
        let unescaped = tok.kind == Kind::OpenUnescaped
            || tok
                .val
                .strip_prefix("{{")
                .is_some_and(|r| r.strip_prefix('~').unwrap_or(r).starts_with('&'));
        let expr = self.expression()?;
        let close = self.shift()?;
        if close.kind != close_kind {
            return Err(expected(close_kind, &close));
        }
        Ok(Mustache {
            expr,
            unescaped,
            strip: Strip::new(&tok.val, &close.val),
            range: tok.pos..close.end,
        })
    }

    fn partial(&mut self) -> Result<Partial> {
        let tok = self.shift()?;
        if self.is(Kind::OpenSexpr) {
            self.sexpr()?;
        } else {
            self.helper_name()?;
        }
        while self.is_param() {
            self.param()?;
        }
        while self.is_hash_segment() {
            self.shift()?;
            self.shift()?;
            self.param()?;
        }
        let close = self.shift()?;
        if close.kind != Kind::Close {
            return Err(expected(Kind::Close, &close));
        }
        Ok(Partial {
            strip: Strip::new(&tok.val, &close.val),
            range: tok.pos..close.end,
        })
    }

    fn param(&mut self) -> Result<Param> {
        if self.is(Kind::OpenSexpr) {
            return self.sexpr();
        }
        self.helper_name()
    }

    fn is_param(&self) -> bool {
        (self.is(Kind::OpenSexpr) || self.is_helper_name()) && !self.is_hash_segment()
    }

    fn sexpr(&mut self) -> Result<Param> {
        self.shift()?;
        let expr = self.expression()?;
        let tok = self.shift()?;
        if tok.kind != Kind::CloseSexpr {
            return Err(expected(Kind::CloseSexpr, &tok));
        }
        Ok(Param::Sub(Box::new(expr)))
    }

    fn is_hash_segment(&self) -> bool {
        self.next_at(1).is_some()
            && self.next().kind == Kind::Id
            && self.next_at(1).is_some_and(|t| t.kind == Kind::Equals)
    }

    fn is_helper_name(&self) -> bool {
        self.i < self.tokens.len()
            && matches!(
                self.next().kind,
                Kind::Boolean | Kind::Number | Kind::String | Kind::Data | Kind::Id
            )
    }

    fn helper_name(&mut self) -> Result<Param> {
        let tok = self.next().clone();
        match tok.kind {
            Kind::Boolean => {
                self.shift()?;
                Ok(Param::Boolean(tok.val == "true"))
            }
            Kind::Number => {
                self.shift()?;
                let (v, is_int) = parse_number(&tok)?;
                Ok(Param::Number(v, is_int))
            }
            Kind::String => {
                self.shift()?;
                Ok(Param::String(tok.val))
            }
            Kind::Data => {
                self.shift()?;
                self.path(true)
            }
            _ => self.path(false),
        }
    }

    fn path(&mut self, data: bool) -> Result<Param> {
        let tok = self.shift()?;
        if tok.kind != Kind::Id {
            return Err(expected(Kind::Id, &tok));
        }
        let mut path = PathExpr {
            data,
            ..PathExpr::default()
        };
        path.part(&tok.val);
        while self.is(Kind::Sep) {
            let sep = self.shift()?;
            path.original.push_str(&sep.val);
            let tok = self.shift()?;
            if tok.kind != Kind::Id {
                return Err(expected(Kind::Id, &tok));
            }
            path.part(&tok.val);
            if !path.parts.is_empty() && matches!(tok.val.as_str(), ".." | "." | "this") {
                return Err(err(&tok, &format!("Invalid path: {}", path.original)));
            }
        }
        Ok(Param::Path(path))
    }
}

/// raymond's `setBlockInverseStrip`.
fn set_inverse_strip(block: &mut Block) {
    let close = block.close_strip;
    let Some(inverse) = &mut block.inverse else {
        return;
    };
    if inverse.chained
        && let Some(super::ast::Node::Block(b)) = inverse.body.first_mut()
    {
        b.close_strip = close;
    }
    block.inverse_strip = inverse.strip;
}

/// raymond's `parseNumber`: Go's `Atoi`, else `ParseFloat`.
fn parse_number(tok: &Token) -> Result<(f64, bool)> {
    let t = tok.val.as_str();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(i) = t.parse::<i64>()
    {
        return Ok((i as f64, true));
    }
    go_parse_float(t)
        .map(|f| (f, false))
        .ok_or_else(|| err(tok, &format!("Failed to parse number: {t}")))
}

/// Go's `strconv.ParseFloat(s, 64)` for what raymond's lexer lets through:
/// decimal, with `_` not allowed; hexadecimal needs a `p` exponent there,
/// which the lexer never produces, so it fails.
fn go_parse_float(s: &str) -> Option<f64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.starts_with("0x") || digits.starts_with("0X") || digits.ends_with('i') {
        return None;
    }
    if !digits.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mismatched_and_unclosed_blocks_are_refused() {
        assert!(
            parse("{{#if a}}x{{/each}}")
                .unwrap_err()
                .message
                .contains("doesn't match")
        );
        assert!(parse("{{#if a}}x").is_err());
        assert!(parse("{{x").is_err());
        assert!(
            parse("{{a.this}}")
                .unwrap_err()
                .message
                .contains("Invalid path")
        );
        assert!(parse("{{#each xs as |x i|}}{{x}}{{/each}}").is_ok());
    }
}
