//! The structure of `spec.maskinporten` as the cluster's CRD defines it: which
//! keys each mapping has, their types and which are required. One description
//! serves `unknown-field`, `missing-field`, `wrong-type` and `yaml11-ambiguity`,
//! which all read what one [`walk`] of the block finds ([`events`], made once
//! per manifest by the runner).

use crate::model::Manifest;
use crate::yaml::scalar::{Resolved, resolve_k8s};
use crate::yaml::{Entry, Node, Value};

/// The type a value must have.
#[derive(Debug)]
pub enum Shape {
    Bool,
    Int,
    Str,
    List(&'static Shape),
    Map(&'static MapShape),
}

impl Shape {
    /// The name with its article: "an integer", "a string".
    pub fn a_name(&self) -> &'static str {
        match self {
            Shape::Bool => "a boolean",
            Shape::Int => "an integer",
            Shape::Str => "a string",
            Shape::List(_) => "a list",
            Shape::Map(_) => "a mapping",
        }
    }
}

/// A mapping: what it is called in messages and the keys it has.
#[derive(Debug)]
pub struct MapShape {
    /// E.g. "an exposes entry".
    pub what: &'static str,
    pub fields: &'static [FieldShape],
}

#[derive(Debug)]
pub struct FieldShape {
    pub key: &'static str,
    pub shape: Shape,
    pub required: bool,
    /// A valid example of the field, for help texts.
    pub example: &'static str,
}

impl MapShape {
    pub fn field(&self, key: &str) -> Option<&'static FieldShape> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &'static str> + Clone + use<> {
        self.fields.iter().map(|f| f.key)
    }
}

const fn opt(key: &'static str, shape: Shape, example: &'static str) -> FieldShape {
    FieldShape {
        key,
        shape,
        required: false,
        example,
    }
}

const fn req(key: &'static str, shape: Shape, example: &'static str) -> FieldShape {
    FieldShape {
        key,
        shape,
        required: true,
        example,
    }
}

pub static CONSUMER: MapShape = MapShape {
    what: "a consumer",
    fields: &[
        req("orgno", Shape::Str, "orgno: \"889640782\""),
        opt("name", Shape::Str, "name: \"NAV\""),
    ],
};

pub static EXPOSED: MapShape = MapShape {
    what: "an exposes entry",
    fields: &[
        req("name", Shape::Str, "name: \"some.scope.read\""),
        req("enabled", Shape::Bool, "enabled: true"),
        req("product", Shape::Str, "product: \"arbeid\""),
        opt("separator", Shape::Str, "separator: \"/\""),
        opt("atMaxAge", Shape::Int, "atMaxAge: 30"),
        opt(
            "allowedIntegrations",
            Shape::List(&Shape::Str),
            "allowedIntegrations: [maskinporten]",
        ),
        opt("accessibleForAll", Shape::Bool, "accessibleForAll: false"),
        opt("delegationSource", Shape::Str, "delegationSource: altinn"),
        opt("visibility", Shape::Str, "visibility: public"),
        opt(
            "consumers",
            Shape::List(&Shape::Map(&CONSUMER)),
            "consumers:\n  - orgno: \"889640782\"",
        ),
    ],
};

pub static CONSUMED: MapShape = MapShape {
    what: "a consumes entry",
    fields: &[req("name", Shape::Str, "name: \"skatt:scope.read\"")],
};

pub static SCOPES: MapShape = MapShape {
    what: "`scopes`",
    fields: &[
        opt(
            "consumes",
            Shape::List(&Shape::Map(&CONSUMED)),
            "consumes:\n  - name: \"skatt:scope.read\"",
        ),
        opt(
            "exposes",
            Shape::List(&Shape::Map(&EXPOSED)),
            "exposes:\n  - name: \"some.scope.read\"",
        ),
    ],
};

pub static MASKINPORTEN: MapShape = MapShape {
    what: "the maskinporten block",
    fields: &[
        req("enabled", Shape::Bool, "enabled: true"),
        opt("scopes", Shape::Map(&SCOPES), "scopes: {}"),
    ],
};

/// What [`walk`] reports about a node.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// `entry`'s key is not a field of `map`.
    Unknown {
        entry: &'a Entry,
        map: &'static MapShape,
    },
    /// `node`, a `map`, lacks the required `field` (or its value is null, which
    /// the API server drops).
    Missing {
        node: &'a Node,
        map: &'static MapShape,
        field: &'static FieldShape,
        null: Option<&'a Entry>,
    },
    /// `node` does not have the `expected` type; `key` is the field's key when
    /// the node is a field's value, `None` for list items.
    WrongType {
        node: &'a Node,
        key: Option<&'a Node>,
        expected: &'static Shape,
        found: &'static str,
    },
    /// A scalar of the expected type (as the API server types it).
    Scalar {
        node: &'a Node,
        key: Option<&'a Node>,
        expected: &'static Shape,
    },
}

/// What [`walk`] finds in a manifest, in walk order.
pub fn events(m: &Manifest) -> Vec<Event<'_>> {
    let mut events = Vec::new();
    walk(m, &mut |event| events.push(event));
    events
}

/// Walk `spec.maskinporten` of a manifest against the schema.
pub fn walk<'a>(m: &'a Manifest, visit: &mut dyn FnMut(Event<'a>)) {
    let Some(mp) = &m.maskinporten else {
        return;
    };
    static ROOT: Shape = Shape::Map(&MASKINPORTEN);
    if let Some(tree) = &mp.node {
        node(tree, Some(&mp.key), &ROOT, visit);
    }
}

fn node<'a>(
    n: &'a Node,
    key: Option<&'a Node>,
    expected: &'static Shape,
    visit: &mut dyn FnMut(Event<'a>),
) {
    if n.is_null() {
        return;
    }
    match (expected, &n.value) {
        (Shape::Map(shape), Value::Map(entries)) => map(n, entries, shape, visit),
        (Shape::List(item), Value::Seq(items)) => {
            for i in items {
                node(i, None, item, visit);
            }
        }
        (Shape::Bool | Shape::Int | Shape::Str, Value::Scalar(s)) => {
            let fits = match (expected, resolve_k8s(s)) {
                (Shape::Bool, Resolved::Bool(_))
                | (Shape::Int, Resolved::Int(_))
                | (Shape::Str, Resolved::Str) => true,
                // JSON has one number type: 60.0 reaches the API server as 60.
                (Shape::Int, Resolved::Float(f)) => f.fract() == 0.0 && f.is_finite(),
                _ => false,
            };
            if fits {
                visit(Event::Scalar {
                    node: n,
                    key,
                    expected,
                });
            } else {
                visit(Event::WrongType {
                    node: n,
                    key,
                    expected,
                    found: n.kind_name(),
                });
            }
        }
        _ => visit(Event::WrongType {
            node: n,
            key,
            expected,
            found: n.kind_name(),
        }),
    }
}

fn map<'a>(
    n: &'a Node,
    entries: &'a [Entry],
    shape: &'static MapShape,
    visit: &mut dyn FnMut(Event<'a>),
) {
    for e in entries {
        match e.key.key_text().and_then(|k| shape.field(k)) {
            Some(f) => node(&e.value, Some(&e.key), &f.shape, visit),
            None => visit(Event::Unknown {
                entry: e,
                map: shape,
            }),
        }
    }
    for f in shape.fields.iter().filter(|f| f.required) {
        let present = entries
            .iter()
            .rev()
            .find(|e| e.key.key_text() == Some(f.key));
        match present {
            None => visit(Event::Missing {
                node: n,
                map: shape,
                field: f,
                null: None,
            }),
            Some(e) if e.value.is_null() => visit(Event::Missing {
                node: n,
                map: shape,
                field: f,
                null: Some(e),
            }),
            Some(_) => {}
        }
    }
}
