//! The migration checks as pure functions over registrations and manifests:
//! for each registration its status, the apps and exposes entries that take it
//! over, and its findings; and the scopes the deploy creates anew.
//!
//! digdirator adopts a registration by its subscope alone (since 2024-03-13):
//! every deployment whose exposes entry resolves to the registration's
//! subscope takes it over, whatever its description or prefix. The
//! description is evidence of who owns the registration, which decides
//! whether a takeover is a handover or another team's scope.
//!
//! Everything is looked up through hash maps built once, so the work grows
//! linearly with registrations and exposes entries.

use super::checks::Check;
use super::description::{self, Owner, undashed};
use super::iac::Registration;
use crate::diagnostic::{Diagnostic, Finding, Severity};
use crate::model::{ExposedScope, Field, Manifest};
use crate::naming::{self, Resolved};
use crate::resolve::resolve_entry;
use crate::source::SourceFile;
use crate::yaml::Span;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::Arc;

/// What the checks depend on besides their inputs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The prefix manifests resolve under, `nav` unless configured.
    pub prefix: String,
    /// `--cluster`: the cluster every manifest deploys to, instead of its
    /// deployment's.
    pub cluster: Option<String>,
    /// Manifest files that could not be read in full (a syntax error, a
    /// template that cannot be rendered): a registration no manifest given
    /// takes over may be theirs.
    pub unreadable: Vec<Arc<SourceFile>>,
}

/// The files among `files` that could not be read in full, for
/// [`Options::unreadable`].
pub fn unreadable(files: &[crate::load::LoadedFile]) -> Vec<Arc<SourceFile>> {
    files
        .iter()
        .filter(|f| f.error.is_some())
        .map(|f| Arc::clone(&f.source))
        .collect()
}

/// How a registration's handover stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ready,
    Warning,
    Blocked,
    /// No manifest given takes it over, and one that could not be read may.
    Unchecked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ready => "ready",
            Status::Warning => "warning",
            Status::Blocked => "blocked",
            Status::Unchecked => "unchecked",
        }
    }
}

/// One finding: which check, and where (in a manifest or in the IaC file).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckFinding {
    pub check: Check,
    pub finding: Finding,
}

impl CheckFinding {
    pub fn severity(&self) -> Severity {
        self.check.severity()
    }

    /// The finding as a lint diagnostic: rule id = check id.
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic {
            rule: self.check.id(),
            severity: self.severity(),
            finding: self.finding.clone(),
        }
    }
}

/// The result for one registration.
#[derive(Debug)]
pub struct Outcome<'a> {
    pub registration: &'a Registration,
    pub status: Status,
    /// The application or Naisjob that takes it over (the one the
    /// description names first, when several do), else the one the
    /// description names, when found.
    pub app: Option<&'a Manifest>,
    /// Its exposes entry that resolves to the registered subscope.
    pub entry: Option<&'a ExposedScope>,
    /// In check order.
    pub findings: Vec<CheckFinding>,
    /// Why it is [`Status::Unchecked`]: the files that could not be read.
    pub reason: Option<String>,
}

/// An active exposes entry that matches no registration: the deploy creates it.
#[derive(Debug)]
pub struct NewScope<'a> {
    pub manifest: &'a Manifest,
    pub entry: &'a ExposedScope,
    pub scope: String,
}

#[derive(Debug)]
pub struct Report<'a> {
    pub outcomes: Vec<Outcome<'a>>,
    pub new_scopes: Vec<NewScope<'a>>,
}

impl Report<'_> {
    pub fn count(&self, status: Status) -> usize {
        self.outcomes.iter().filter(|o| o.status == status).count()
    }

    /// Every finding as a lint diagnostic, registration by registration.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.outcomes
            .iter()
            .flat_map(|o| o.findings.iter().map(CheckFinding::diagnostic))
            .collect()
    }
}

/// A resolvable exposes entry.
struct Entry<'a> {
    manifest: usize,
    entry: &'a ExposedScope,
    product: &'a str,
    name: &'a str,
    resolved: Resolved,
}

/// The manifests, indexed for the lookups the checks make.
struct Index<'a> {
    manifests: &'a [Manifest],
    entries: Vec<Entry<'a>>,
    /// (namespace, name) without `-` → manifests, in input order.
    apps: HashMap<(String, String), Vec<usize>>,
    /// name without `-` → manifests without a namespace, for hints.
    unplaced: HashMap<String, Vec<usize>>,
    /// manifest → its entries, in entry order.
    by_manifest: Vec<Vec<usize>>,
    /// subscope → entries resolving to it, in input order.
    by_subscope: HashMap<String, Vec<usize>>,
    /// (manifest, name) → its entries with that name.
    by_name: HashMap<(usize, &'a str), Vec<usize>>,
}

impl<'a> Index<'a> {
    fn new(manifests: &'a [Manifest], prefix: &str) -> Self {
        let mut ix = Index {
            manifests,
            entries: Vec::new(),
            apps: HashMap::new(),
            unplaced: HashMap::new(),
            by_manifest: vec![Vec::new(); manifests.len()],
            by_subscope: HashMap::new(),
            by_name: HashMap::new(),
        };
        for (mi, m) in manifests.iter().enumerate() {
            match (&m.namespace, &m.name) {
                (Some(ns), Some(name)) => ix
                    .apps
                    .entry((undashed(&ns.value), undashed(&name.value)))
                    .or_default()
                    .push(mi),
                (None, Some(name)) => ix
                    .unplaced
                    .entry(undashed(&name.value))
                    .or_default()
                    .push(mi),
                _ => {}
            }
            let Some(mp) = &m.maskinporten else { continue };
            for entry in &mp.exposes {
                let Ok((product, name, resolved)) = resolve_entry(prefix, entry) else {
                    continue;
                };
                let ei = ix.entries.len();
                ix.by_manifest[mi].push(ei);
                ix.by_subscope
                    .entry(resolved.subscope.clone())
                    .or_default()
                    .push(ei);
                ix.by_name.entry((mi, name)).or_default().push(ei);
                ix.entries.push(Entry {
                    manifest: mi,
                    entry,
                    product,
                    name,
                    resolved,
                });
            }
        }
        ix
    }

    /// For every manifest with an entry resolving to `subscope`, in input
    /// order, its last such entry (digdirator: the last one wins).
    fn takers(&self, subscope: &str) -> Vec<usize> {
        let Some(hits) = self.by_subscope.get(subscope) else {
            return Vec::new();
        };
        let mut out: Vec<usize> = Vec::new();
        for &e in hits {
            match out.last_mut() {
                Some(last) if self.entries[*last].manifest == self.entries[e].manifest => {
                    *last = e;
                }
                _ => out.push(e),
            }
        }
        out
    }
}

/// Run every check over every registration.
pub fn check<'a>(
    registrations: &'a [Registration],
    manifests: &'a [Manifest],
    opts: &Options,
) -> Report<'a> {
    let ix = Index::new(manifests, &opts.prefix);
    // One registration per scope: a repetition is a finding of the first.
    let mut first: HashMap<(&str, &str), usize> = HashMap::new();
    let mut outcomes: Vec<Outcome<'a>> = Vec::new();
    for r in registrations {
        let key = (r.prefix.as_str(), r.subscope.as_str());
        if let Some(&i) = first.get(&key) {
            let o: &mut Outcome<'a> = &mut outcomes[i];
            let earlier = o.registration;
            o.findings.push(CheckFinding {
                check: Check::DuplicateRegistration,
                finding: Finding::new(
                    &r.source,
                    r.span,
                    format!(
                        "registration `{}` is given again (first at {}:{}); its status is computed once",
                        r.scope(),
                        earlier.source.name,
                        earlier.span.start.line
                    ),
                ),
            });
            let findings = std::mem::take(&mut o.findings);
            let (app, entry) = (o.app, o.entry);
            *o = finish(earlier, app, entry, findings);
            continue;
        }
        first.insert(key, outcomes.len());
        outcomes.push(check_one(r, &ix, opts));
    }
    let registered: HashSet<&str> = registrations.iter().map(|r| r.subscope.as_str()).collect();
    let new_scopes = ix
        .entries
        .iter()
        .filter(|e| e.entry.enabled() && manifests[e.manifest].maskinporten_enabled())
        .filter(|e| !registered.contains(e.resolved.subscope.as_str()))
        .map(|e| NewScope {
            manifest: &manifests[e.manifest],
            entry: e.entry,
            scope: e.resolved.scope.clone(),
        })
        .collect();
    Report {
        outcomes,
        new_scopes,
    }
}

/// Collects findings, each at the matched exposes entry when there is one,
/// else at the given place in the IaC file.
struct Findings<'a> {
    reg: &'a Registration,
    at: Option<(&'a Arc<SourceFile>, Span)>,
    list: Vec<CheckFinding>,
}

impl Findings<'_> {
    fn in_iac(&mut self, check: Check, span: Span, message: String) {
        let (source, span) = self.at.unwrap_or((&self.reg.source, span));
        self.list.push(CheckFinding {
            check,
            finding: Finding::new(source, span, message),
        });
    }

    fn in_manifest(&mut self, check: Check, source: &Arc<SourceFile>, span: Span, message: String) {
        self.list.push(CheckFinding {
            check,
            finding: Finding::new(source, span, message),
        });
    }
}

fn check_one<'a>(reg: &'a Registration, ix: &Index<'a>, opts: &Options) -> Outcome<'a> {
    let owner = description::owner(&reg.description.value);
    let owned_by = |m: &Manifest| owner.as_ref().is_some_and(|o| is_owner(m, o));
    // The owner's manifests, those without a namespace of its name included.
    let mut owners: Vec<usize> = owner
        .as_ref()
        .into_iter()
        .flat_map(|o| {
            let placed = ix.apps.get(&(undashed(o.namespace), undashed(o.app)));
            let unplaced = ix.unplaced.get(&undashed(o.app));
            placed.into_iter().chain(unplaced).flatten().copied()
        })
        .collect();
    owners.sort_unstable();
    let owners = owners.as_slice();
    let takers = ix.takers(&reg.subscope);
    // Only an enabled Maskinporten block takes anything over.
    let (active, inert): (Vec<usize>, Vec<usize>) = takers
        .iter()
        .partition(|&&e| ix.manifests[ix.entries[e].manifest].maskinporten_enabled());
    let mut f = Findings {
        reg,
        at: None,
        list: Vec::new(),
    };
    if active.is_empty() {
        // Who was to take it over: the owner's manifest, or one that
        // exposes the subscope with Maskinporten switched off.
        let inert_owner = inert
            .iter()
            .map(|&e| ix.entries[e].manifest)
            .find(|&m| owned_by(&ix.manifests[m]));
        let inert_any = inert.first().map(|&e| ix.entries[e].manifest);
        let meant = inert_owner
            .or(owners.first().copied())
            .or(inert_any)
            .map(|m| &ix.manifests[m]);
        let exposes = meant.is_some_and(|m| {
            inert
                .iter()
                .any(|&e| std::ptr::eq(&ix.manifests[ix.entries[e].manifest], m))
        });
        // A file that could not be read may expose the subscope under any
        // app's name: that no readable one does proves nothing.
        if !exposes && !opts.unreadable.is_empty() {
            return unchecked(reg, opts);
        }
        let Some(m) = meant else {
            let message = app_not_found(reg, owner.as_ref(), ix);
            f.in_iac(Check::AppNotFound, reg.description.span, message);
            return finish(reg, None, None, f.list);
        };
        if !exposes {
            scope_not_exposed(reg, m, owners, ix, opts, &mut f);
        }
        maskinporten_disabled(reg, m, &mut f);
        return finish(reg, Some(m), None, f.list);
    }
    for &e in &active {
        let e = &ix.entries[e];
        let m = &ix.manifests[e.manifest];
        f.at = Some((&m.source, e.entry.anchor()));
        ownership(reg, owner.as_ref(), m, e, opts, &mut f);
        entry_checks(reg, owner.as_ref(), m, e, opts, &mut f);
    }
    let shown = active
        .iter()
        .map(|&e| &ix.entries[e])
        .find(|e| owned_by(&ix.manifests[e.manifest]))
        .unwrap_or(&ix.entries[active[0]]);
    finish(
        reg,
        Some(&ix.manifests[shown.manifest]),
        Some(shown.entry),
        f.list,
    )
}

fn finish<'a>(
    registration: &'a Registration,
    app: Option<&'a Manifest>,
    entry: Option<&'a ExposedScope>,
    mut findings: Vec<CheckFinding>,
) -> Outcome<'a> {
    findings.sort_by_key(|f| f.check);
    let status = match findings.iter().map(CheckFinding::severity).min() {
        Some(Severity::Error) => Status::Blocked,
        Some(Severity::Warning) => Status::Warning,
        _ => Status::Ready,
    };
    Outcome {
        registration,
        status,
        app,
        entry,
        findings,
        reason: None,
    }
}

/// `reg`, which no manifest read takes over while `opts.unreadable` are
/// files that could not be read: any of them may.
fn unchecked<'a>(reg: &'a Registration, opts: &Options) -> Outcome<'a> {
    // A file read once per deployment is named once.
    let mut seen = HashSet::new();
    let names: Vec<&str> = opts
        .unreadable
        .iter()
        .map(|s| s.name.as_str())
        .filter(|n| seen.insert(*n))
        .collect();
    let files = format!("{} could not be read", names.join(", "));
    Outcome {
        registration: reg,
        status: Status::Unchecked,
        app: None,
        entry: None,
        findings: Vec::new(),
        reason: Some(format!(
            "no manifest that could be read takes it over, and {files}: it may"
        )),
    }
}

/// Whether `m` is the application `o` names (compared without `-`). A
/// manifest without a namespace, which the deploy gives the team's, is taken
/// to be in the one named.
fn is_owner(m: &Manifest, o: &Owner<'_>) -> bool {
    let same = |v: &Field<String>, named: &str| undashed(&v.value) == undashed(named);
    m.name.as_ref().is_some_and(|n| same(n, o.app))
        && m.namespace.as_ref().is_none_or(|ns| same(ns, o.namespace))
}

/// Whose registration the deploy takes over, by what the description says.
fn ownership(
    reg: &Registration,
    owner: Option<&Owner<'_>>,
    m: &Manifest,
    e: &Entry<'_>,
    opts: &Options,
    f: &mut Findings<'_>,
) {
    let app = app_name(m);
    let scope = reg.scope();
    let Some(o) = owner else {
        f.in_manifest(
            Check::OwnerUnknown,
            &m.source,
            e.entry.anchor(),
            format!(
                "description {:?} of `{scope}` names no owner: digdirator lets `{app}` take it over \
                 by its subscope alone; make sure the scope is yours",
                reg.description.value
            ),
        );
        return;
    };
    if !is_owner(m, o) {
        f.in_manifest(
            Check::ScopeTakeover,
            &m.source,
            e.entry.anchor(),
            format!(
                "`{app}` would take over `{scope}`, which its description ({:?}, {}:{}) names as \
                 owned by {}: digdirator adopts by subscope alone, so the deploy sets its consumers \
                 and attributes from this entry; agree on the handover with the owner, or expose \
                 another subscope",
                reg.description.value,
                reg.source.name,
                reg.description.span.start.line,
                o.describe()
            ),
        );
        return;
    }
    if let Some(cluster) = cluster_of(m, opts)
        && undashed(cluster) != undashed(o.cluster)
    {
        f.in_manifest(
            Check::ClusterMismatch,
            &m.source,
            e.entry.anchor(),
            format!(
                "`{scope}` is owned by `{app}` on cluster `{}`, and this manifest deploys to `{cluster}`: the \
                 deploy moves the scope between clusters; check that the app on `{}` no longer \
                 exposes it",
                o.cluster, o.cluster
            ),
        );
    }
}

/// The cluster a manifest deploys to: `--cluster`, else its deployment's.
fn cluster_of<'a>(m: &'a Manifest, opts: &'a Options) -> Option<&'a str> {
    opts.cluster
        .as_deref()
        .or_else(|| m.source.deployment.as_ref()?.cluster.as_deref())
}

/// `namespace/name` of a manifest.
fn app_name(m: &Manifest) -> String {
    m.app()
}

fn app_not_found(reg: &Registration, owner: Option<&Owner<'_>>, ix: &Index<'_>) -> String {
    let mut msg = format!(
        "no manifest given exposes subscope `{}`, so nothing here takes `{}` over",
        reg.subscope,
        reg.scope()
    );
    let Some(o) = owner else {
        let _ = write!(
            msg,
            "; its description {:?} names no owner",
            reg.description.value
        );
        return msg;
    };
    let _ = write!(
        msg,
        "; its description names `{}/{}`, and no Application or Naisjob given has that namespace \
         and name (compared without `-`)",
        o.namespace, o.app
    );
    if let Some(&m) = ix.unplaced.get(&undashed(o.app)).and_then(|v| v.first()) {
        let m = &ix.manifests[m];
        let _ = write!(
            msg,
            "; `{}` in {} has no `metadata.namespace`: set it to the namespace the description \
             names (`{}`, compared without `-`)",
            app_name(m),
            m.source.name,
            o.namespace
        );
    }
    msg
}

/// Which fields of an entry to set so that it resolves to a subscope.
#[derive(Debug, Default)]
struct Fix {
    product: Option<String>,
    name: Option<String>,
    separator: Option<String>,
}

impl Fix {
    fn count(&self) -> usize {
        [
            self.product.is_some(),
            self.name.is_some(),
            self.separator.is_some(),
        ]
        .iter()
        .filter(|&&b| b)
        .count()
    }

    fn describe(&self) -> String {
        let parts: Vec<String> = [
            ("product", &self.product),
            ("name", &self.name),
            ("separator", &self.separator),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("`{k}: {v:?}`")))
        .collect();
        match parts.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        }
    }
}

/// `<product><separator><name>`: the product is `[a-z0-9]+` (the CRD's pattern),
/// so it ends at the first other character, which must be a separator.
fn split_subscope(subscope: &str) -> Option<(&str, &str, &str)> {
    let end = subscope.find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))?;
    let (product, rest) = subscope.split_at(end);
    let sep = rest.get(..1).filter(|s| matches!(*s, "/" | ":" | "."))?;
    let name = &rest[1..];
    (!product.is_empty() && !name.is_empty()).then_some((product, sep, name))
}

/// The fields to set on `e` so that it resolves to `target`, if that can be done.
fn propose(prefix: &str, target: &str, e: &Entry<'_>) -> Option<Fix> {
    let (product, sep, name) = split_subscope(target)?;
    let explicit = e.entry.separator.as_ref().map(|f| f.value.as_str());
    let mut fix = Fix::default();
    if e.product != product {
        fix.product = Some(product.to_owned());
    }
    if e.name != name {
        fix.name = Some(name.to_owned());
    }
    let keep = naming::separator(name, explicit).0 == sep;
    if !keep {
        fix.separator = Some(sep.to_owned());
    }
    let check = naming::resolve(
        prefix,
        product,
        name,
        if keep { explicit } else { Some(sep) },
    );
    (check.subscope == target).then_some(fix)
}

/// Entries of the app compared besides those with the registered name: apps
/// expose a handful of scopes, and the bound keeps the search linear.
const NEAREST_SCAN: usize = 32;

fn scope_not_exposed(
    reg: &Registration,
    m: &Manifest,
    candidates: &[usize],
    ix: &Index<'_>,
    opts: &Options,
    f: &mut Findings<'_>,
) {
    let target = &reg.subscope;
    let want = naming::scope(&opts.prefix, target);
    let same_name = split_subscope(target)
        .into_iter()
        .flat_map(|(_, _, name)| {
            candidates
                .iter()
                .take(NEAREST_SCAN)
                .filter_map(move |&c| ix.by_name.get(&(c, name)))
        })
        .flatten();
    let first = candidates
        .iter()
        .flat_map(|&c| &ix.by_manifest[c])
        .take(NEAREST_SCAN);
    let mut pool: Vec<usize> = same_name.chain(first).copied().collect();
    pool.sort_unstable();
    pool.dedup();
    let entries = pool.into_iter().map(|e| &ix.entries[e]);
    let nearest = entries
        .map(|e| {
            let fix = propose(&opts.prefix, target, e);
            let changes = fix.as_ref().map_or(usize::MAX, Fix::count);
            let distance = strsim::levenshtein(&e.resolved.subscope, target);
            (changes, distance, e, fix)
        })
        .min_by_key(|(changes, distance, ..)| (*changes, *distance));
    let app = app_name(m);
    let (message, source, span) = match nearest {
        Some((_, _, e, fix)) => {
            let em = &ix.manifests[e.manifest];
            let mut msg = format!(
                "`{app}` has no exposes entry that resolves to `{want}`; the nearest, entry {} ({}:{}), \
                 resolves to `{}`",
                e.entry.index + 1,
                em.source.name,
                e.entry.span.start.line,
                e.resolved.scope
            );
            match fix {
                Some(fix) => {
                    let _ = write!(msg, "; set {} to get `{want}`", fix.describe());
                }
                None => msg.push_str(&unproducible(target)),
            }
            (msg, Some(&em.source), e.entry.anchor())
        }
        None => {
            let mut msg = format!("`{app}` exposes no scopes");
            match split_subscope(target) {
                Some((product, sep, name)) => {
                    let _ = write!(
                        msg,
                        "; add an exposes entry with `product: {product:?}`, `name: {name:?}`, \
                         `separator: {sep:?}` and `enabled: true` to get `{want}`"
                    );
                }
                None => msg.push_str(&unproducible(target)),
            }
            (msg, None, reg.description.span)
        }
    };
    match source {
        Some(source) => f.in_manifest(Check::ScopeNotExposed, source, span, message),
        None => f.in_iac(Check::ScopeNotExposed, span, message),
    }
}

fn unproducible(target: &str) -> String {
    format!(
        "; no exposes entry can resolve to subscope `{target}`: a subscope is \
         `<product><separator><name>` with a product of a-z and 0-9 only and a separator of `/`, `:` or `.`"
    )
}

fn maskinporten_disabled(reg: &Registration, m: &Manifest, f: &mut Findings<'_>) {
    if m.maskinporten_enabled() {
        return;
    }
    let app = app_name(m);
    let consequence = format!(
        "nothing is provisioned, so `{}` is not taken over; set `enabled: true`",
        reg.scope()
    );
    let (message, span) = match &m.maskinporten {
        None => (
            format!("`{app}` has no `spec.maskinporten`: {consequence}"),
            None,
        ),
        Some(mp) => match &mp.enabled {
            Some(e) => (
                format!(
                    "`spec.maskinporten.enabled` is `{}` in `{app}`: {consequence}",
                    e.value
                ),
                Some(e.span),
            ),
            None => (
                format!(
                    "`spec.maskinporten.enabled` is not set to a boolean in `{app}`: {consequence}"
                ),
                Some(mp.key_span()),
            ),
        },
    };
    match span {
        Some(span) => f.in_manifest(Check::MaskinportenDisabled, &m.source, span, message),
        None => f.in_iac(Check::MaskinportenDisabled, reg.span, message),
    }
}

fn entry_checks(
    reg: &Registration,
    owner: Option<&Owner<'_>>,
    m: &Manifest,
    e: &Entry<'_>,
    opts: &Options,
    f: &mut Findings<'_>,
) {
    let entry = e.entry;
    let scope = &e.resolved.scope;
    let src = &m.source;
    if !entry.enabled() {
        let (what, span) = match &entry.enabled {
            Some(en) => (format!("has `enabled: {}`", en.value), en.span),
            None => (
                "has no boolean `enabled` (the CRD requires one)".to_owned(),
                entry.anchor(),
            ),
        };
        f.in_manifest(
            Check::ScopeDisabled,
            src,
            span,
            format!("the entry resolving to `{scope}` {what}: the deploy deactivates the scope; set `enabled: true`"),
        );
    }
    consumers(reg, m, e, f);
    drift(reg, e, f, src);
    if !reg.active && entry.enabled() {
        let span = entry.enabled.as_ref().map_or(entry.anchor(), |en| en.span);
        f.in_manifest(
            Check::InactiveRegistration,
            src,
            span,
            format!(
                "registration `{}` is inactive (`active: false`) while the entry resolving to it is enabled: \
                 the deploy activates the scope again",
                reg.scope()
            ),
        );
    }
    let known = cluster_of(m, opts);
    let cluster = known.or(owner.map(|o| o.cluster)).unwrap_or("<cluster>");
    let (ns, name) = (
        m.namespace.as_ref().map_or("", |f| &f.value),
        m.name.as_ref().map_or("", |f| &f.value),
    );
    f.in_manifest(
        Check::DescriptionRewrite,
        src,
        entry.anchor(),
        format!(
            "digdirator rewrites the description of `{scope}` to `{}`{}",
            description::digdirator(e.product, cluster, ns, name),
            if known.is_none() {
                " (the cluster as the description spells it; --cluster or the manifest's deployment gives its real name)"
            } else {
                ""
            }
        ),
    );
}

fn consumers(reg: &Registration, m: &Manifest, e: &Entry<'_>, f: &mut Findings<'_>) {
    let entry = e.entry;
    let scope = &e.resolved.scope;
    let processed = entry.enabled() && m.maskinporten_enabled();
    let listed: HashSet<String> = entry.orgnos().into_iter().collect();
    let mut state_of: HashMap<&str, Option<&str>> = HashMap::new();
    let mut seen = HashSet::new();
    for c in &reg.consumers {
        state_of.entry(&c.orgno).or_insert(c.state.as_deref());
        if !c.has_access() || listed.contains(&c.orgno) || !seen.insert(c.orgno.as_str()) {
            continue;
        }
        let state = c
            .state
            .as_deref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        let when = if processed {
            "the deploy revokes its access"
        } else {
            "enabling the entry revokes its access"
        };
        f.in_manifest(
            Check::ConsumerRevoked,
            &m.source,
            entry.anchor(),
            format!(
                "{} has access to `{scope}` today{state}, but the entry does not list it: {when}; \
                 add `- orgno: \"{}\"` to its `consumers` to keep it",
                c.orgno, c.orgno
            ),
        );
    }
    let has_access: HashSet<&str> = reg
        .consumers
        .iter()
        .filter(|c| c.has_access())
        .map(|c| c.orgno.as_str())
        .collect();
    // One finding for all the organisations granted: a registration that
    // gains fifty consumers is one deliberate change, not fifty.
    let mut granted: Vec<(&str, crate::yaml::Span)> = Vec::new();
    for c in &entry.consumers {
        let Some(orgno) = &c.orgno else { continue };
        let o = orgno.value.as_str();
        if has_access.contains(o) || granted.iter().any(|(g, _)| *g == o) {
            continue;
        }
        granted.push((o, orgno.span));
    }
    let Some(&(_, first)) = granted.first() else {
        return;
    };
    let named: Vec<String> = granted
        .iter()
        .map(|(o, _)| match state_of.get(o) {
            Some(Some(state)) => format!("{o} ({state} today)"),
            _ => (*o).to_owned(),
        })
        .collect();
    let (which, them) = match granted.len() {
        1 => ("1 organisation".to_owned(), "it"),
        n => (format!("{n} organisations"), "them"),
    };
    f.in_manifest(
        Check::ConsumerGranted,
        &m.source,
        first,
        format!(
            "the entry lists {which} without access to `{scope}` today: {}; the deploy grants {them} access",
            named.join(", ")
        ),
    );
}

/// `[a, b]` for lists of integration types.
fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

fn sorted(items: &[String]) -> Vec<String> {
    let mut v = items.to_vec();
    v.sort();
    v.dedup();
    v
}

/// A registration's delegation source as the manifest names it: DigDir stores
/// the source's issuer (an Altinn URL) where the manifest says `altinn`.
fn delegation_kind(source: &str) -> String {
    let lower = source.to_ascii_lowercase();
    if lower.contains("altinn") {
        "altinn".to_owned()
    } else {
        lower
    }
}

fn drift(reg: &Registration, e: &Entry<'_>, f: &mut Findings<'_>, src: &Arc<SourceFile>) {
    let entry = e.entry;
    let scope = &e.resolved.scope;
    let mut report = |field: &str,
                      key: &str,
                      from: String,
                      to: String,
                      set: Option<Span>,
                      keep: Option<String>| {
        let why = match set {
            Some(_) => format!("the entry sets `{key}`"),
            None => format!("`{key}` is not set; {to} is the default"),
        };
        f.in_manifest(
            Check::AttributeDrift,
            src,
            set.unwrap_or(entry.anchor()),
            match keep {
                Some(keep) => format!("`{field}` of `{scope}` changes from {from} to {to} ({why}); set `{key}: {keep}` to keep it"),
                None => format!("`{field}` of `{scope}` changes from {from} to {to} ({why}); remove `{key}` to keep it"),
            },
        );
    };
    fn key_span<T>(f: &Option<Field<T>>) -> Option<Span> {
        f.as_ref().map(|f| f.key_span)
    }
    if let Some(age) = reg.at_max_age
        && age != entry.at_max_age()
    {
        report(
            "at_max_age",
            "atMaxAge",
            age.to_string(),
            entry.at_max_age().to_string(),
            key_span(&entry.at_max_age),
            Some(age.to_string()),
        );
    }
    if let Some(types) = &reg.allowed_integration_types {
        let now = entry.allowed_integrations();
        if sorted(types) != sorted(&now) {
            report(
                "allowed_integration_types",
                "allowedIntegrations",
                list(types),
                list(&now),
                key_span(&entry.allowed_integrations),
                Some(list(types)),
            );
        }
    }
    if let Some(all) = reg.accessible_for_all
        && all != entry.accessible_for_all()
    {
        report(
            "accessible_for_all",
            "accessibleForAll",
            all.to_string(),
            entry.accessible_for_all().to_string(),
            key_span(&entry.accessible_for_all),
            Some(all.to_string()),
        );
    }
    if let Some(vis) = &reg.visibility {
        let now = entry.visibility().to_ascii_lowercase();
        if *vis != now {
            report(
                "visibility",
                "visibility",
                vis.clone(),
                now,
                key_span(&entry.visibility),
                Some(vis.clone()),
            );
        }
    }
    let reg_source = reg.delegation_source.as_deref().map(delegation_kind);
    let entry_source = entry.delegation_source().map(str::to_ascii_lowercase);
    if reg_source != entry_source {
        let show = |s: Option<&str>| s.map_or("none".to_owned(), str::to_owned);
        report(
            "delegation_source",
            "delegationSource",
            show(reg.delegation_source.as_deref()),
            show(entry.delegation_source()),
            key_span(&entry.delegation_source),
            reg_source.clone(),
        );
    }
    // Written the same for every scope: no entry can keep another value.
    let mut fixed = |field: &str, from: String, to: &str| {
        f.in_manifest(
            Check::AttributeDrift,
            src,
            entry.anchor(),
            format!(
                "`{field}` of `{scope}` changes from {from} to {to}: digdirator writes {to} for every scope, and no manifest field keeps it"
            ),
        );
    };
    if let Some(t) = reg.token_type.as_deref()
        && t != "SELF_CONTAINED"
    {
        fixed("token_type", t.to_owned(), "SELF_CONTAINED");
    }
    for (field, value) in [
        ("requires_user_consent", reg.requires_user_consent),
        (
            "requires_pseudonymous_tokens",
            reg.requires_pseudonymous_tokens,
        ),
        (
            "requires_user_authentication",
            reg.requires_user_authentication,
        ),
    ] {
        if value == Some(true) {
            fixed(field, "true".to_owned(), "false");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_subscope_takes_the_product_up_to_the_first_separator() {
        assert_eq!(
            split_subscope("arbeid/vedtak.write"),
            Some(("arbeid", "/", "vedtak.write"))
        );
        assert_eq!(split_subscope("arbeid:a/b"), Some(("arbeid", ":", "a/b")));
        assert_eq!(
            split_subscope("kartverket.eiendom"),
            Some(("kartverket", ".", "eiendom"))
        );
        assert_eq!(split_subscope("Arbeid:x"), None);
        assert_eq!(split_subscope("arbeid-x:y"), None);
        assert_eq!(split_subscope("arbeid"), None);
        assert_eq!(split_subscope("arbeid:"), None);
    }

    #[test]
    fn delegation_source_issuer_counts_as_altinn() {
        assert_eq!(delegation_kind("https://www.altinn.no"), "altinn");
        assert_eq!(delegation_kind("ALTINN"), "altinn");
    }
}
