//! PM1002: a well-known blocking call (HTTP with `requests`, `urlopen`, `subprocess.run`,
//! `input()`...) made directly inside an `async def`, where it stalls the event loop (§10.11.4).

use super::conc_common::{enclosing_async, qualified};
use super::typing_names::{last_name, BlockNames};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct BlockingCall;

const CODE: &str = "PM1002";

/// Qualified names of calls that block the calling thread until I/O or a child process ends.
const BLOCKING: &[&str] = &[
    "requests.get",
    "requests.post",
    "requests.put",
    "requests.patch",
    "requests.delete",
    "requests.head",
    "requests.options",
    "requests.request",
    "urllib.request.urlopen",
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "os.system",
    "socket.create_connection",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "input",
];

impl Rule for BlockingCall {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Call(call)) = node else {
            return;
        };
        let Some(last) = last_name(&call.func) else {
            return;
        };
        let known_member = BLOCKING.iter().any(|q| q.rsplit('.').next() == Some(last));
        if !known_member && !matches!(&*call.func, Expr::Name(_)) {
            return;
        }
        let Some(func) = enclosing_async(ctx) else {
            return;
        };
        let names = BlockNames::of_block(node, ctx);
        let Some(q) = qualified(&names, ctx.module, &call.func) else {
            return;
        };
        if !BLOCKING.contains(&q.as_str()) {
            return;
        }
        let remedy = if ctx.target >= (3, 9) {
            "`await asyncio.to_thread(...)`"
        } else {
            "`await loop.run_in_executor(None, ...)`"
        };
        ctx.report(
            CODE,
            span(e),
            &[
                ("call", q.as_str()),
                ("func", func.name.as_str()),
                ("remedy", remedy),
            ],
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_known_blocking_calls() {
        let src = "import requests\nfrom subprocess import run as sh\n\nasync def fetch(url):\n    r = requests.get(url, timeout=5)\n    sh(['ls'])\n    name = input('name? ')\n    with urllib.request.urlopen(url) as f:\n        return f.read()\n";
        let found = findings(src, "PM1002", T);
        assert_eq!(
            flagged(src, &found),
            [
                "requests.get(url, timeout=5)",
                "sh(['ls'])",
                "input('name? ')",
                "urllib.request.urlopen(url)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`requests.get()` blocks inside `async def fetch`: the event loop stalls until it returns; use an asynchronous API or `await asyncio.to_thread(...)`"
        );
        assert_eq!(found[0].section, "10.11.4");
        let old = findings(src, "PM1002", (3, 8));
        assert!(old[0]
            .message
            .ends_with("`await loop.run_in_executor(None, ...)`"));
    }

    #[test]
    fn silent_on_offloaded_or_sync_or_unknown_calls() {
        let src = "async def f(session, url):\n    await asyncio.to_thread(requests.get, url)\n    await session.get(url)\n    def work():\n        return subprocess.run(['ls'])\n    await loop.run_in_executor(None, lambda: input())\n    get(url)\n    proc = await asyncio.create_subprocess_exec('ls')\n\ndef sync(url):\n    requests.get(url)\n";
        assert!(findings(src, "PM1002", T).is_empty());
        let shadowed = "async def f(requests):\n    requests.get(1)\n\nasync def g():\n    input = ask\n    input()\n";
        assert!(findings(shadowed, "PM1002", T).is_empty());
        let module_def = "def input(p):\n    return p\n\nasync def g():\n    input('x')\n";
        assert!(findings(module_def, "PM1002", T).is_empty());
    }
}
