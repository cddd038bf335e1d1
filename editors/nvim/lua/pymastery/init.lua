-- pymastery for Neovim: starts the language server for Python buffers and adds
-- :PymasteryExplain and :PymasterySearch. Neovim 0.11+ uses vim.lsp.config/vim.lsp.enable,
-- 0.8-0.10 a FileType autocmd with vim.lsp.start.
local M = {}

local NAME = "pymastery"
local EXPLAIN = "pymastery.explain"
local SEARCH = "pymastery.searchBook"

M.root_markers = { "pyproject.toml", "setup.cfg", ".git" }

local function notify(msg, level)
  vim.notify("pymastery: " .. msg, level or vim.log.levels.INFO)
end

local function default_cmd()
  local exe = vim.env.PYMASTERY
  if exe == nil or exe == "" then
    exe = "pymastery"
  end
  return { exe, "serve", "--stdio" }
end

--- The pymastery client of `bufnr`, or else any running pymastery client.
local function client_for(bufnr)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  return get({ name = NAME, bufnr = bufnr })[1] or get({ name = NAME })[1]
end

local function execute(command, arg, on_result)
  local client = client_for(vim.api.nvim_get_current_buf())
  if not client then
    return notify("the language server is not running: open a Python file first", vim.log.levels.WARN)
  end
  local params = { command = command, arguments = { arg } }
  local function handler(err, result)
    if err then
      return notify(err.message or vim.inspect(err), vim.log.levels.ERROR)
    end
    on_result(result)
  end
  if vim.fn.has("nvim-0.11") == 1 then
    client:request("workspace/executeCommand", params, handler)
  else
    client.request("workspace/executeCommand", params, handler)
  end
end

--- Shows `text` in a scratch split at the bottom, reusing the one already open; `q` closes it.
local function show(title, text)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(text, "\n", { plain = true }))
  vim.bo[buf].modifiable = false
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].filetype = "markdown"
  vim.api.nvim_buf_set_var(buf, "pymastery_explain", true)
  local win
  for _, w in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
    if vim.b[vim.api.nvim_win_get_buf(w)].pymastery_explain then
      win = w
    end
  end
  if win then
    vim.api.nvim_set_current_win(win)
  else
    vim.cmd("botright split")
    win = vim.api.nvim_get_current_win()
  end
  vim.api.nvim_win_set_buf(win, buf)
  vim.wo[win].wrap = true
  vim.wo[win].linebreak = true
  pcall(vim.api.nvim_buf_set_name, buf, "pymastery://" .. title)
  vim.keymap.set("n", "q", "<cmd>close<cr>", { buffer = buf, nowait = true, silent = true })
end

--- Explains a rule code ("PM0105"), a book section ("1.5.1") or a name ("asyncio.gather").
function M.explain(what)
  execute(EXPLAIN, what, function(text)
    if type(text) ~= "string" then
      return notify("nothing known about " .. what, vim.log.levels.WARN)
    end
    show(what, text)
  end)
end

--- Searches the book and explains the section picked with vim.ui.select.
function M.search(query)
  execute(SEARCH, query, function(hits)
    if type(hits) ~= "table" or #hits == 0 then
      return notify("no section matches " .. query, vim.log.levels.WARN)
    end
    vim.ui.select(hits, {
      prompt = "pymastery: " .. query,
      format_item = function(h)
        return string.format("§%s %s: %s", h.id, h.title, h.first_line or "")
      end,
    }, function(choice)
      if choice then
        M.explain(choice.id)
      end
    end)
  end)
end

--- The PM code of the pymastery diagnostic under the cursor (else the first on its line).
local function code_under_cursor()
  local row, col = unpack(vim.api.nvim_win_get_cursor(0))
  local found
  for _, d in ipairs(vim.diagnostic.get(0, { lnum = row - 1 })) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if type(code) == "string" and code:match("^PM%d+$") then
      local under = col >= d.col and (d.end_lnum ~= d.lnum or col < d.end_col)
      if under then
        return code
      end
      found = found or code
    end
  end
  return found
end

local function create_commands()
  vim.api.nvim_create_user_command("PymasteryExplain", function(a)
    local what = a.args ~= "" and a.args or code_under_cursor()
    if not what then
      return notify("no pymastery diagnostic under the cursor: give a code, section or name", vim.log.levels.WARN)
    end
    M.explain(what)
  end, { nargs = "?", desc = "pymastery: explain a rule code, book section or name" })
  vim.api.nvim_create_user_command("PymasterySearch", function(a)
    M.search(a.args)
  end, { nargs = "+", desc = "pymastery: search the book" })
end

--- Starts (or reuses) the client for `buf` the 0.8-0.10 way.
local function start(buf, config)
  if vim.bo[buf].buftype ~= "" then
    return
  end
  local name = vim.api.nvim_buf_get_name(buf)
  local dir = name ~= "" and vim.fs.dirname(name) or (vim.uv or vim.loop).cwd()
  local marker = vim.fs.find(M.root_markers, { path = dir, upward = true })[1]
  local c = vim.tbl_extend("force", config, { name = NAME, root_dir = marker and vim.fs.dirname(marker) or dir })
  vim.api.nvim_buf_call(buf, function()
    vim.lsp.start(c, { bufnr = buf })
  end)
end

--- opts.cmd: the server command (a list, or the path of the binary); default $PYMASTERY or
--- "pymastery", with `serve --stdio`. opts.settings: e.g. { pymastery = { ignore = { "PM0102" } } }.
--- opts.native = false forces the FileType/vim.lsp.start path on 0.11+ too.
--- Returns true when the server was set up.
function M.setup(opts)
  opts = opts or {}
  if vim.fn.has("nvim-0.8") == 0 then
    local v = vim.version and vim.version() or {}
    notify(
      string.format("needs Neovim 0.8 or newer (this is %s.%s.%s); the language server was not started", v.major, v.minor, v.patch),
      vim.log.levels.ERROR
    )
    return false
  end
  local cmd = opts.cmd or default_cmd()
  if type(cmd) == "string" then
    cmd = { cmd, "serve", "--stdio" }
  end
  local config = {
    cmd = cmd,
    settings = opts.settings or {},
    init_options = opts.settings,
    -- The "Explain PMxxxx" code action opens the explanation split instead of a message.
    commands = {
      [EXPLAIN] = function(command)
        M.explain(command.arguments[1])
      end,
    },
  }
  if vim.fn.has("nvim-0.11") == 1 and opts.native ~= false then
    config.filetypes = { "python" }
    config.root_markers = M.root_markers
    vim.lsp.config(NAME, config)
    vim.lsp.enable(NAME)
  else
    vim.api.nvim_create_autocmd("FileType", {
      group = vim.api.nvim_create_augroup("pymastery", { clear = true }),
      pattern = "python",
      callback = function(a)
        start(a.buf, config)
      end,
    })
    for _, buf in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == "python" then
        start(buf, config)
      end
    end
  end
  create_commands()
  return true
end

return M
