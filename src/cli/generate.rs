//! `lungang generate`: a synthetic county (or a bundled preset) written as a dataset
//! folder.

use anyhow::{Context, Result};
use lungang::report::Lang;
use lungang::{folder, generate};

use super::args::GenerateArgs;
use super::{exit, say};

pub fn generate(shape: GenerateArgs, lang: Lang) -> Result<u8> {
    let (out, force) = (&shape.out, shape.force);
    let profile = match shape.profile {
        None => generate::Profile::default(),
        Some(name) => name.parse().map_err(|_| {
            let names = generate::Profile::names();
            anyhow::anyhow!(say(
                lang,
                format!("没有名为 {name:?} 的配置（可用 {names}）"),
                format!("unknown profile {name:?} (expected one of {names})"),
            ))
        })?,
    };
    let county = match shape.preset {
        Some(name) => generate::preset_seeded(&name, shape.seed).with_context(|| {
            say(
                lang,
                format!("没有名为 {name:?} 的预设（可用 xinjian 或 xiji）"),
                format!("unknown preset {name:?} (expected xinjian or xiji)"),
            )
        })?,
        None => generate::generate(&generate::GenerateOptions {
            schools: shape.schools.unwrap_or(0),
            teachers: shape.teachers.unwrap_or(0),
            seed: shape.seed.unwrap_or(1),
            communities: shape.communities,
            profile,
        }),
    };
    folder::write(out, &county.files(), force, &[])?;
    let out = out.display();
    println!(
        "{}",
        say(lang, format!("已写入 {out}"), format!("wrote {out}"))
    );
    Ok(exit::OK)
}
