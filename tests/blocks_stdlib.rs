//! Block-wise parsing equals a whole-file parse, offsets included, for every file of the
//! machine's Python standard library that parses whole.

use pymastery::syntax;
use rayon::prelude::*;
use std::path::PathBuf;

#[path = "support/stdlib.rs"]
mod support;

#[test]
fn blockwise_parse_equals_whole_file_parse_on_the_stdlib() {
    let root =
        support::stdlib().expect("python3 and its standard library are needed for this test");
    let files = support::python_files(&root);
    assert!(
        files.len() > 500,
        "only {} files under {}",
        files.len(),
        root.display()
    );
    let results: Vec<(PathBuf, Option<String>)> = files
        .par_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            let whole = syntax::parse_file(&text).ok()?;
            let mut stmts = Vec::new();
            for b in syntax::segment(&text) {
                match syntax::parse_block_at(&text[b.start..b.end], b.start) {
                    Ok(s) => stmts.extend(s),
                    Err(e) => {
                        let msg = format!("block at {} failed: {}", b.start, e.message);
                        return Some((path.clone(), Some(msg)));
                    }
                }
            }
            let problem = (stmts != whole).then(|| "trees differ".to_string());
            Some((path.clone(), problem))
        })
        .collect();
    let checked = results.len();
    let failures: Vec<_> = results.into_iter().filter(|(_, p)| p.is_some()).collect();
    assert!(checked > 500, "only {checked} files parsed whole");
    assert!(
        failures.is_empty(),
        "{} of {checked} files differ: {:?}",
        failures.len(),
        &failures[..failures.len().min(10)]
    );
    eprintln!("{checked} standard-library files: block-wise parse equals whole-file parse");
}
