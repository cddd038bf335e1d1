-- pymastery language server for Neovim 0.11+: `vim.lsp.enable("pymastery")` picks this up
-- from 'runtimepath'. Set $PYMASTERY to use a binary that is not on PATH.
local exe = vim.env.PYMASTERY
if exe == nil or exe == "" then
  exe = "pymastery"
end

---@type vim.lsp.Config
return {
  cmd = { exe, "serve", "--stdio" },
  filetypes = { "python" },
  root_markers = { "pyproject.toml", "setup.cfg", ".git" },
}
