//! Output folders (plan, whatif, generate), written whole or not at all, and replaced only
//! when lungang wrote them: every folder written holds [`MARKER`], and `--force` replaces
//! a folder that has it and is neither the current folder nor an input, nor holds nor lies
//! inside one. Anything else is refused before a byte is written.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// The file that marks a folder as lungang's own; its text says so to a person.
pub const MARKER: &str = ".lungang";
const MARKER_TEXT: &str =
    "This folder was written by lungang. `--force` may replace it with a new one.\n";

#[derive(Debug, Error)]
pub enum WriteError {
    #[error("{0} exists already; pass --force to replace it")]
    Exists(PathBuf),
    #[error(
        "{0} was not written by lungang (it has no {MARKER} file): it is not replaced, even with --force; give a new folder"
    )]
    NotOurs(PathBuf),
    #[error("{0} is not a folder lungang wrote (a file or a link): it is not replaced; give a new folder")]
    NotAFolder(PathBuf),
    #[error(
        "--out {out} {how} the input {input}: it is not replaced; give a folder outside the inputs"
    )]
    Input {
        out: PathBuf,
        how: &'static str,
        input: PathBuf,
    },
    #[error("--out {0} holds the current folder, which it would remove from under you; give another folder")]
    Current(PathBuf),
    // Not `source`: the message already quotes the OS error, and anyhow would print it twice.
    #[error("writing {path}: {err}")]
    Io { path: PathBuf, err: std::io::Error },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |err| WriteError::Io {
        path: path.to_path_buf(),
        err,
    }
}

/// `dir` as an absolute path without `.`, `..` or links in its parent, the parent created.
fn resolve(dir: &Path) -> Result<PathBuf, WriteError> {
    let abs = std::path::absolute(dir).map_err(io(dir))?;
    let Some(name) = abs.file_name() else {
        // `..`, `/`: a folder that exists.
        return fs::canonicalize(&abs).map_err(io(dir));
    };
    let parent = abs.parent().unwrap_or(Path::new("/"));
    fs::create_dir_all(parent).map_err(io(parent))?;
    Ok(fs::canonicalize(parent).map_err(io(parent))?.join(name))
}

/// Why `out` may not be replaced because of an input, if it may not.
fn against_inputs(out: &Path, shown: &Path, inputs: &[PathBuf]) -> Result<(), WriteError> {
    for given in inputs {
        let Ok(input) = fs::canonicalize(given) else {
            continue;
        };
        let how = if input == out {
            "is"
        } else if input.starts_with(out) {
            "holds"
        } else if out.starts_with(&input) {
            "lies inside"
        } else {
            continue;
        };
        return Err(WriteError::Input {
            out: shown.to_path_buf(),
            how,
            input: given.clone(),
        });
    }
    Ok(())
}

/// Whether an existing `out` may be replaced: a folder with the marker, not an input's
/// nor the current folder's, and only with `force`.
fn may_replace(
    out: &Path,
    shown: &Path,
    force: bool,
    inputs: &[PathBuf],
) -> Result<(), WriteError> {
    against_inputs(out, shown, inputs)?;
    let meta = fs::symlink_metadata(out).map_err(io(out))?;
    if !meta.is_dir() {
        return Err(WriteError::NotAFolder(shown.to_path_buf()));
    }
    if !out.join(MARKER).is_file() {
        return Err(WriteError::NotOurs(shown.to_path_buf()));
    }
    if !force {
        return Err(WriteError::Exists(shown.to_path_buf()));
    }
    let cwd = std::env::current_dir().and_then(fs::canonicalize);
    if cwd.is_ok_and(|c| c.starts_with(out)) {
        return Err(WriteError::Current(shown.to_path_buf()));
    }
    Ok(())
}

/// Writes `files` (paths relative to `dir`, at most one folder deep) as the folder `dir`:
/// into a sibling temp folder first, renamed into place once complete. Every folder
/// written gets the marker. An existing `dir` is replaced only under [`may_replace`]'s
/// rules, and only after the new one is complete; on any failure nothing is left behind.
pub fn write(
    dir: &Path,
    files: &[(&str, Vec<u8>)],
    force: bool,
    inputs: &[PathBuf],
) -> Result<(), WriteError> {
    let out = resolve(dir)?;
    let exists = fs::symlink_metadata(&out).is_ok();
    if exists {
        may_replace(&out, dir, force, inputs)?;
    } else {
        against_inputs(&out, dir, inputs)?;
    }
    let name = out
        .file_name()
        .map_or_else(|| "out".to_owned(), |n| n.to_string_lossy().into_owned());
    let parent = out.parent().unwrap_or(Path::new("/"));
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    if let Err(e) = fill(&tmp, files) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if !exists {
        return fs::rename(&tmp, &out).map_err(|e| {
            let _ = fs::remove_dir_all(&tmp);
            io(dir)(e)
        });
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if let Err(e) = fs::rename(&out, &old) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(io(dir)(e));
    }
    if let Err(e) = fs::rename(&tmp, &out) {
        // Put the old folder back: the user keeps what they had.
        let _ = fs::rename(&old, &out);
        let _ = fs::remove_dir_all(&tmp);
        return Err(io(dir)(e));
    }
    fs::remove_dir_all(&old).map_err(io(&old))
}

/// Creates `tmp` with `files` and a marker in it and in each of its sub-folders.
fn fill(tmp: &Path, files: &[(&str, Vec<u8>)]) -> Result<(), WriteError> {
    if fs::symlink_metadata(tmp).is_ok() {
        fs::remove_dir_all(tmp).map_err(io(tmp))?;
    }
    fs::create_dir(tmp).map_err(io(tmp))?;
    let mut folders = BTreeSet::from([tmp.to_path_buf()]);
    for (file, bytes) in files {
        let p = tmp.join(file);
        if let Some(sub) = p.parent() {
            fs::create_dir_all(sub).map_err(io(sub))?;
            folders.insert(sub.to_path_buf());
        }
        fs::write(&p, bytes).map_err(io(&p))?;
    }
    for f in folders {
        let m = f.join(MARKER);
        fs::write(&m, MARKER_TEXT).map_err(io(&m))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(&'static str, Vec<u8>)> {
        vec![("a.csv", b"x\n".to_vec()), ("sub/b.csv", b"y\n".to_vec())]
    }

    #[test]
    fn writes_with_markers_and_replaces_only_its_own() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        write(&out, &files(), false, &[]).unwrap();
        assert!(out.join(MARKER).is_file() && out.join("sub").join(MARKER).is_file());
        assert!(matches!(
            write(&out, &files(), false, &[]),
            Err(WriteError::Exists(_))
        ));
        write(&out, &files(), true, &[]).unwrap();
        let mine = tmp.path().join("mine");
        fs::create_dir(&mine).unwrap();
        let r = write(&mine, &files(), true, &[]);
        assert!(matches!(r, Err(WriteError::NotOurs(_))), "{r:?}");
        let file = tmp.path().join("f");
        fs::write(&file, "keep").unwrap();
        let r = write(&file, &files(), true, &[]);
        assert!(matches!(r, Err(WriteError::NotAFolder(_))), "{r:?}");
        assert_eq!(fs::read_to_string(&file).unwrap(), "keep");
        // Nothing but what was asked for is left in the parent.
        let mut names: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["f", "mine", "out"]);
    }

    #[test]
    fn never_replaces_an_input_nor_its_parent() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        write(&data, &files(), false, &[]).unwrap();
        let inputs = [data.clone()];
        for (out, how) in [
            (data.clone(), "is"),
            (tmp.path().to_path_buf(), "holds"),
            (data.join("sub"), "lies inside"),
        ] {
            match write(&out, &files(), true, &inputs) {
                Err(WriteError::Input { how: h, .. }) => assert_eq!(h, how, "{}", out.display()),
                other => panic!("{}: {other:?}", out.display()),
            }
        }
        assert!(data.join("a.csv").is_file());
    }
}
