//! What a file's path says about the code in it, for the rules whose advice depends on where
//! code lives: a package's `__init__.py` re-exports on purpose, and test code may use asserts,
//! private members and prints that library code should not.

use std::path::Path;

/// The role of a file, judged from its path alone. The default (no path known, as for an
/// unsaved buffer) is an ordinary module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileRole {
    /// The file is a package's `__init__.py` (or `__init__.pyi`).
    pub package_init: bool,
    /// The file is test code: named `test_*.py`, `*_test.py`, `test.py`, `tests.py` or
    /// `conftest.py`, or inside a
    /// directory named `test`, `tests`, `testing` or `*_test`/`*_tests` (e.g. `idle_test`).
    pub test: bool,
}

impl FileRole {
    pub fn of_path(path: &Path) -> FileRole {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let package_init = stem == "__init__";
        let test_name = stem.starts_with("test_")
            || stem.ends_with("_test")
            || matches!(stem, "test" | "tests" | "conftest");
        // Directories only: the last component is the file itself.
        let test_dir = path
            .parent()
            .into_iter()
            .flat_map(Path::components)
            .filter_map(|c| c.as_os_str().to_str())
            .any(is_test_dir);
        FileRole {
            package_init,
            test: test_name || test_dir,
        }
    }
}

fn is_test_dir(name: &str) -> bool {
    matches!(name, "test" | "tests" | "testing")
        || name.ends_with("_test")
        || name.ends_with("_tests")
}

#[cfg(test)]
mod tests {
    use super::FileRole;
    use std::path::Path;

    fn role(p: &str) -> FileRole {
        FileRole::of_path(Path::new(p))
    }

    #[test]
    fn package_init_files() {
        assert!(role("pkg/__init__.py").package_init);
        assert!(role("pkg/__init__.pyi").package_init);
        assert!(!role("pkg/init.py").package_init);
        assert!(!role("pkg/__init__x.py").package_init);
    }

    #[test]
    fn test_files_by_name_and_folder() {
        for p in [
            "tests/util.py",
            "Lib/test/test_os.py",
            "src/pkg/test_api.py",
            "pkg/api_test.py",
            "conftest.py",
            "idlelib/idle_test/htest.py",
            "/abs/testing/helpers.py",
            "app/tests.py",
        ] {
            assert!(role(p).test, "{p}");
        }
        for p in [
            "src/pkg/api.py",
            "contest.py",
            "pkg/testament.py",
            "latest/x.py",
            "pkg/attest.py",
        ] {
            assert!(!role(p).test, "{p}");
        }
    }
}
