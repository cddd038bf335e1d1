//! PM1010 (off by default): an `async def` that takes a `timeout` parameter, where the caller
//! could bound the wait with `asyncio.timeout()` or `asyncio.wait_for()` (§10.4.3).

use super::api_util::Func;
use super::source::def_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::span;

pub struct TimeoutParam;

const CODE: &str = "PM1010";

impl Rule for TimeoutParam {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt) = node else { return };
        let Some(f) = Func::of(stmt) else { return };
        if !f.params().contains(&"timeout") || f.decorated_with(&["overload"]) {
            return;
        }
        let remedy = if ctx.target >= (3, 11) {
            "`async with asyncio.timeout(...)`"
        } else {
            "`asyncio.wait_for(...)`"
        };
        let range = def_name(ctx.source, span(stmt).0, f.decorators, f.name);
        ctx.report(CODE, range, &[("name", f.name), ("remedy", remedy)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    #[test]
    fn flags_timeout_parameters_of_coroutines() {
        let src = "\
async def fetch(url, timeout=10):
    pass

class C:
    async def read(self, n, *, timeout: float | None = None):
        pass
";
        let found = findings(src, "PM1010", (3, 12));
        assert_eq!(flagged(src, &found), ["fetch", "read"]);
        assert_eq!(
            found[0].message,
            "`async def fetch` takes a `timeout` parameter: callers can bound any coroutine themselves with `async with asyncio.timeout(...)`, which also covers the code around the call"
        );
        assert_eq!(found[0].section, "10.4.3");
        let old = findings(src, "PM1010", (3, 9));
        assert!(old[0].message.contains("`asyncio.wait_for(...)`"));
    }

    #[test]
    fn silent_on_sync_functions_and_other_names() {
        let src = "\
def fetch(url, timeout=10):
    pass

async def get(url, timeout_s=10, deadline=None):
    pass

@overload
async def put(url, timeout: int):
    ...
";
        assert!(findings(src, "PM1010", (3, 12)).is_empty());
    }
}
