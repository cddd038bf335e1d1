//! PM1803: an HTTP call with no timeout (§18.2.1). `requests` and `urllib` wait for ever by
//! default, so one server that stops answering hangs the caller.

use super::conc_common::qualified;
use super::log_util::{add_keyword, has_double_star, keyword};
use super::typing_names::{last_name, BlockNames};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr};
use crate::syntax::span;

pub struct HttpNoTimeout;

const CODE: &str = "PM1803";

const REQUESTS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "head", "options", "request",
];
const HTTPX: &[&str] = &[
    "get",
    "post",
    "put",
    "delete",
    "patch",
    "head",
    "options",
    "request",
    "stream",
    "Client",
    "AsyncClient",
];

impl Rule for HttpNoTimeout {
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
        if !REQUESTS.contains(&last) && !HTTPX.contains(&last) && last != "urlopen" {
            return;
        }
        if has_double_star(call) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let Some(q) = qualified(&names, ctx.module, &call.func) else {
            return;
        };
        let (module, member) = q.rsplit_once('.').unwrap_or(("", &q));
        // httpx has a five-second default; only an explicit `timeout=None` removes it.
        let (default_waits, positional) = match module {
            "requests" | "requests.api" if REQUESTS.contains(&member) => (true, usize::MAX),
            "urllib.request" if member == "urlopen" => (true, 2),
            "httpx" if HTTPX.contains(&member) => (false, usize::MAX),
            _ => return,
        };
        let timeout = keyword(call, "timeout").map(|k| &k.value);
        let timeout = timeout.or(call.args.get(positional));
        if call.args.iter().any(|a| matches!(a, Expr::Starred(_))) {
            return;
        }
        let (problem, edit) = match timeout {
            None if default_waits => ("has no timeout", add_keyword(ctx, call, "timeout=10")),
            Some(t @ Expr::Constant(c)) if matches!(c.value, Constant::None) => {
                let (s, t) = span(t);
                (
                    "passes `timeout=None`",
                    Some(Edit {
                        start: s,
                        end: t,
                        text: "10".into(),
                    }),
                )
            }
            _ => return,
        };
        let fix = edit.map(|edit| ctx.fix(CODE, &[], Safety::Unsafe, vec![edit]));
        ctx.report(
            CODE,
            span(e),
            &[
                ("call", &format!("{module}.{member}")),
                ("problem", problem),
            ],
            fix,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_http_calls_that_can_wait_for_ever() {
        let src = "import requests, httpx\nfrom urllib.request import urlopen\n\nr = requests.get(url)\nrequests.post(url, json=body, timeout=None)\nwith urlopen(url) as f:\n    pass\nc = httpx.Client(timeout=None)\n";
        let found = findings(src, "PM1803", T);
        assert_eq!(
            flagged(src, &found),
            [
                "requests.get(url)",
                "requests.post(url, json=body, timeout=None)",
                "urlopen(url)",
                "httpx.Client(timeout=None)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`requests.get` has no timeout: a server that stops answering blocks this call for ever; pass a `timeout=` tuned to the service"
        );
        assert_eq!(found[3].message, "`httpx.Client` passes `timeout=None`: a server that stops answering blocks this call for ever; pass a `timeout=` tuned to the service");
        assert_eq!(found[0].section, "18.2.1");
    }

    #[test]
    fn silent_with_timeouts_and_on_other_clients() {
        for src in [
            "import requests\nrequests.get(url, timeout=5)\n",
            "import requests\nrequests.get(url, **opts)\n",
            "import httpx\nhttpx.get(url)\n",
            "import urllib.request\nurllib.request.urlopen(url, None, 30)\n",
            "import urllib.request\nurllib.request.urlopen(url, timeout=t)\n",
            "session.get(url)\n",
            "d.get(key)\n",
            "def get(x):\n    pass\nget(url)\n",
            "import requests\ndef f(requests):\n    requests.get(url)\n",
        ] {
            assert!(findings(src, "PM1803", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_passes_a_timeout() {
        assert_eq!(
            fixed("import requests\nr = requests.get(url)\n", "PM1803", T),
            "import requests\nr = requests.get(url, timeout=10)\n"
        );
        assert_eq!(
            fixed(
                "import requests\nr = requests.get(url, timeout=None)\n",
                "PM1803",
                T
            ),
            "import requests\nr = requests.get(url, timeout=10)\n"
        );
        assert_eq!(
            fixed("import urllib.request as u\nu.urlopen(req)\n", "PM1803", T),
            "import urllib.request as u\nu.urlopen(req, timeout=10)\n"
        );
    }
}
