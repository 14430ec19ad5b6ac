//! maskscope: see what Maskinporten scopes nais manifests declare, and catch
//! mistakes in them before a deploy does.
//!
//! The pipeline: [`discover`] finds inputs, [`load`] reads, renders ([`template`])
//! and parses them into [`yaml`] trees, [`model`] reads the manifests out of
//! those, [`naming`] and [`resolve`] turn exposes entries into scopes, [`lint`]
//! checks them, [`migrate`] compares them with legacy scope registrations, and
//! [`commands`] with [`output`] print the results.

pub mod access;
pub mod cli;
pub mod cluster;
pub mod commands;
pub mod config;
pub mod confine;
pub mod decode;
pub mod deploy;
pub mod diagnostic;
pub mod diff;
pub mod discover;
pub mod git;
pub mod inputs;
pub mod lint;
pub mod load;
pub mod migrate;
pub mod model;
pub mod naming;
pub mod output;
pub mod render;
pub mod resolve;
pub mod source;
pub mod suggest;
pub mod template;
pub mod yaml;
