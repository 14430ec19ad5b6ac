//! What every command does first: find the inputs, build the template renderer,
//! read the files and pick out the manifests.

use crate::cli::InputArgs;
use crate::discover::{self, io_reason};
use crate::load::{self, LoadedFile};
use crate::model::Manifest;
use crate::template::{Renderer, Vars};
use std::path::Path;

/// Every input read, and the manifests found in them, in input and document order.
pub struct Workspace {
    pub files: Vec<LoadedFile>,
    pub manifests: Vec<Manifest>,
    /// Notes for stderr about inputs that were skipped.
    pub skipped: Vec<String>,
}

/// The template variables from `--vars` and `--var`.
pub fn vars(args: &InputArgs, cwd: &Path) -> Result<Vars, String> {
    let mut vars = match &args.vars {
        Some(path) => {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(cwd.join(path))
                .map_err(|e| format!("{name}: cannot read vars file: {}", io_reason(&e)))?;
            Vars::from_file_text(&name, &text)?
        }
        None => Vars::default(),
    };
    vars.set_pairs(&args.var)?;
    Ok(vars)
}

/// Find, read and parse the inputs. An `Err` is a usage error (exit 2).
pub fn load(args: &InputArgs, cwd: &Path) -> Result<Workspace, String> {
    load_with(args, cwd, |_| ()).map(|(ws, _)| ws)
}

/// [`load()`], running `per_file` on each file as it is read, while its
/// manifests still hold their raw YAML (which the workspace does not keep).
/// `per_file` may take the manifests out of a file that the rest of the run
/// does not need. The results come back in input order.
pub fn load_with<T: Send>(
    args: &InputArgs,
    cwd: &Path,
    per_file: impl Fn(&mut LoadedFile) -> T + Sync,
) -> Result<(Workspace, Vec<T>), String> {
    let renderer = Renderer::new(&vars(args, cwd)?);
    let found = discover::discover(&args.paths, cwd)?;
    let (mut files, results): (Vec<LoadedFile>, Vec<T>) =
        load::load_all(&found.inputs, cwd, &renderer, per_file)
            .into_iter()
            .unzip();
    if args.paths.is_empty() && files.is_empty() {
        return Err(discover::none_found(cwd));
    }
    let manifests = files
        .iter_mut()
        .flat_map(|f| std::mem::take(&mut f.manifests))
        .collect();
    let ws = Workspace {
        files,
        manifests,
        skipped: found.skipped,
    };
    Ok((ws, results))
}
