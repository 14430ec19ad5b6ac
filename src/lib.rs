//! maskscope: see what Maskinporten scopes nais manifests declare, and catch
//! mistakes in them before a deploy does.

pub mod naming;
pub mod yaml;
