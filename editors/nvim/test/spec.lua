-- Headless end-to-end checks of the pymastery Neovim integration, run by run.sh as
--   PM_MODE=<mode> PM_PLUGIN=<editors/nvim> PM_PROJECT=<dir> PYMASTERY=<binary> \
--     nvim --headless --clean -S spec.lua
-- Modes: native (setup{} through vim.lsp.config/enable), legacy (setup{ native = false }:
-- FileType autocmd + vim.lsp.start), lspdir (only lsp/pymastery.lua + vim.lsp.enable),
-- old (Neovim < 0.8: setup must refuse with a message, not an error), auto (the one the running
-- Neovim's version calls for: old, legacy without forcing it, or native).
-- Prints one "PASS name" or "FAIL name: detail" line per check, then "DONE".

local mode = vim.env.PM_MODE
if mode == "auto" then -- whatever this Neovim's version calls for
  mode = vim.fn.has("nvim-0.8") == 0 and "old" or vim.fn.has("nvim-0.11") == 1 and "native" or "legacy"
end
local project = vim.env.PM_PROJECT
local exe = vim.env.PYMASTERY
vim.opt.rtp:prepend(vim.env.PM_PLUGIN)

local function out(line)
  io.stdout:write(line .. "\n")
  io.stdout:flush()
end

local function check(name, ok, detail)
  if ok then
    out("PASS " .. mode .. ": " .. name)
  else
    local d = tostring(detail):gsub("\n", "\\n")
    if #d > 800 then
      d = d:sub(1, 800) .. "..."
    end
    out("FAIL " .. mode .. ": " .. name .. ": " .. d)
  end
  return ok
end

local notes = {}
local real_notify = vim.notify
vim.notify = function(msg, level, o)
  table.insert(notes, { msg = msg, level = level })
  return real_notify(msg, level, o)
end

local function buf_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
end

local function get_clients(filter)
  return (vim.lsp.get_clients or vim.lsp.get_active_clients)(filter)
end

--- Waits for an explanation split (b:pymastery_explain) whose text contains `needle`.
local function wait_explanation(needle)
  local text
  local ok = vim.wait(10000, function()
    for _, w in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
      local b = vim.api.nvim_win_get_buf(w)
      if vim.b[b].pymastery_explain then
        text = buf_text(b)
        if text:find(needle, 1, true) then
          return true
        end
      end
    end
    return false
  end, 50)
  return ok, text
end

local function close_explanations(src_win)
  for _, w in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
    if vim.b[vim.api.nvim_win_get_buf(w)].pymastery_explain then
      vim.api.nvim_win_close(w, true)
    end
  end
  vim.api.nvim_set_current_win(src_win)
end

local EXPECTED_FIXED = table.concat({
  "def f(x=None):",
  "    if x is None:",
  "        x = []",
  "    x.append(1)",
  "    return x",
  "",
  "",
  "class Point:",
  "    def __eq__(self, other):",
  "        return True",
}, "\n")

local function run_old()
  local ok, ret = pcall(function()
    return require("pymastery").setup({ cmd = { exe, "serve", "--stdio" } })
  end)
  check("setup does not raise on " .. tostring(vim.version().minor), ok, ret)
  check("setup returns false", ret == false, ret)
  local note = notes[#notes]
  check(
    "setup tells why through vim.notify at ERROR level",
    note and note.msg:find("needs Neovim 0.8 or newer", 1, true) and note.level == vim.log.levels.ERROR,
    note and note.msg
  )
  check("no user commands defined", vim.fn.exists(":PymasteryExplain") == 0, "PymasteryExplain exists")
  vim.cmd("edit " .. vim.fn.fnameescape(project .. "/mod.py"))
  vim.wait(500)
  check("no client started", #get_clients() == 0, #get_clients())
end

local function run_lsp()
  if mode == "native" or mode == "legacy" then
    local ok = require("pymastery").setup({
      cmd = { exe, "serve", "--stdio" },
      native = vim.env.PM_MODE ~= "legacy",
      settings = { pymastery = { hover = { enable = true } } },
    })
    check("setup returns true", ok == true, ok)
    if vim.lsp.is_enabled then
      check(
        mode == "native" and "uses vim.lsp.enable" or "bypasses vim.lsp.enable",
        vim.lsp.is_enabled("pymastery") == (mode == "native"),
        vim.lsp.is_enabled("pymastery")
      )
    end
  else
    vim.lsp.enable("pymastery")
  end

  vim.cmd("edit " .. vim.fn.fnameescape(project .. "/pkg/mod.py"))
  local buf = vim.api.nvim_get_current_buf()
  local src_win = vim.api.nvim_get_current_win()
  check("filetype is python", vim.bo[buf].filetype == "python", vim.bo[buf].filetype)

  local client
  vim.wait(10000, function()
    client = get_clients({ name = "pymastery", bufnr = buf })[1]
    return client ~= nil and client.initialized
  end, 50)
  if not check("client attached", client ~= nil, "no pymastery client after 10 s") then
    return
  end
  check(
    "root_dir is the directory with pyproject.toml",
    vim.fs.normalize(client.config.root_dir or "") == vim.fs.normalize(project),
    client.config.root_dir
  )
  check("cmd is the configured binary", client.config.cmd[1] == exe, vim.inspect(client.config.cmd))

  -- Diagnostics (pushed or pulled, whichever the client negotiates).
  local diag
  vim.wait(15000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == "PM0105" then
        diag = d
      end
    end
    return diag ~= nil
  end, 50)
  if not check("PM0105 diagnostic published", diag ~= nil, vim.inspect(vim.diagnostic.get(buf))) then
    return
  end
  check("PM0105 on `[]` at 1:9", diag.lnum == 0 and diag.col == 8, diag.lnum .. ":" .. diag.col)
  check(
    "message cites the book section",
    diag.message:find("[§1.5.1 The Mutable Default Argument Trap]", 1, true) ~= nil,
    diag.message
  )
  check("source is pymastery", diag.source == "pymastery", diag.source)
  if mode == "lspdir" then
    return -- the rest needs setup{}
  end

  -- :PymasteryExplain with no argument explains the diagnostic under the cursor.
  vim.api.nvim_win_set_cursor(src_win, { 1, 9 })
  vim.cmd("PymasteryExplain")
  local ok, text = wait_explanation("PM0105 mutable-default-argument")
  check(":PymasteryExplain (no argument) explains the code under the cursor", ok, text)
  close_explanations(src_win)

  -- The "Explain PM0105 (...)" code action opens the same split (client-side command).
  vim.api.nvim_win_set_cursor(src_win, { 1, 9 })
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(a)
      return a.title == "Explain PM0105 (§1.5.1 The Mutable Default Argument Trap)"
    end,
  })
  ok, text = wait_explanation("Section: §1.5.1 The Mutable Default Argument Trap")
  check("'Explain PM0105' code action opens the explanation", ok, text)
  close_explanations(src_win)

  -- Hover on `__eq__`, through the real vim.lsp.buf.hover() floating window.
  vim.api.nvim_win_set_cursor(src_win, { 7, 9 })
  vim.lsp.buf.hover()
  local hover_text
  ok = vim.wait(10000, function()
    for _, w in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
      if vim.api.nvim_win_get_config(w).relative ~= "" then
        hover_text = buf_text(vim.api.nvim_win_get_buf(w))
        if hover_text:find("Staff-Level Python Mastery, §1.3.3 Comparison and Hashing", 1, true) then
          return true
        end
      end
    end
    return false
  end, 50)
  check("hover on __eq__ shows the knowledge entry", ok, hover_text)
  check("hover names the class", hover_text and hover_text:find("`Point` defines `__eq__` without `__hash__`", 1, true), hover_text)
  for _, w in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
    if vim.api.nvim_win_get_config(w).relative ~= "" then
      vim.api.nvim_win_close(w, true)
    end
  end
  vim.api.nvim_set_current_win(src_win)

  -- The code actions offered on the PM0105 line.
  vim.api.nvim_win_set_cursor(src_win, { 1, 9 })
  local params = vim.lsp.util.make_range_params(src_win, client.offset_encoding)
  params.context = { diagnostics = {} }
  local titles = {}
  for _, r in pairs(vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, 10000) or {}) do
    for _, a in ipairs(r.result or {}) do
      titles[a.title] = true
    end
  end
  local fix_title = "Default `x` to None and create it in the body (PM0105, unsafe: may change behaviour)"
  for _, t in ipairs({ fix_title, "Suppress PM0105 on this line" }) do
    check("code action offered: " .. t, titles[t], vim.inspect(vim.tbl_keys(titles)))
  end

  -- Apply the fix through vim.lsp.buf.code_action, as a user would.
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(a)
      return a.title == fix_title
    end,
  })
  ok = vim.wait(10000, function()
    return buf_text(buf) == EXPECTED_FIXED
  end, 50)
  check("PM0105 fix rewrites the buffer", ok, buf_text(buf))
  ok = vim.wait(10000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == "PM0105" then
        return false
      end
    end
    return true
  end, 50)
  check("PM0105 diagnostic gone after the fix (server saw the edit)", ok, vim.inspect(vim.diagnostic.get(buf)))

  -- :PymasteryExplain with arguments.
  vim.cmd("PymasteryExplain PM0105")
  ok, text = wait_explanation("Section: §1.5.1 The Mutable Default Argument Trap")
  check(":PymasteryExplain PM0105", ok and text:find("PM0105 mutable-default-argument", 1, true), text)
  vim.cmd("PymasteryExplain asyncio.gather")
  ok, text = wait_explanation("§10.3.1 asyncio.gather")
  check(":PymasteryExplain asyncio.gather reuses the split", ok, text)
  local splits = 0
  for _, w in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
    if vim.b[vim.api.nvim_win_get_buf(w)].pymastery_explain then
      splits = splits + 1
    end
  end
  check("one explanation split", splits == 1, splits)

  local before = #notes
  vim.cmd("PymasteryExplain no_such_thing_at_all")
  vim.wait(5000, function()
    return #notes > before
  end, 50)
  local note = notes[#notes]
  check(
    ":PymasteryExplain of an unknown name reports the server's error",
    note and note.msg:find("nothing known about", 1, true) and note.level == vim.log.levels.ERROR,
    note and note.msg
  )

  -- :PymasterySearch lists sections with vim.ui.select and explains the chosen one.
  local seen
  vim.ui.select = function(items, o, on_choice)
    seen = { items = items, opts = o }
    for _, it in ipairs(items) do
      if it.id == "1.5.1" then
        return on_choice(it)
      end
    end
    on_choice(nil)
  end
  vim.cmd("PymasterySearch mutable default")
  vim.wait(10000, function()
    return seen ~= nil
  end, 50)
  check("search results reach vim.ui.select", seen and #seen.items > 0, vim.inspect(seen))
  if seen and #seen.items > 0 then
    check(
      "search items are formatted with section and title",
      seen.opts.format_item(seen.items[1]):find("^§%S+ %S") ~= nil,
      seen.opts.format_item(seen.items[1])
    )
    check("search prompt names the query", seen.opts.prompt == "pymastery: mutable default", seen.opts.prompt)
  end
  ok, text = wait_explanation("§1.5.1 The Mutable Default Argument Trap\n\nDefault values are evaluated once")
  check("choosing a search result explains its section", ok, text)
end

local ok, err = xpcall(function()
  if mode == "old" then
    run_old()
  else
    run_lsp()
  end
end, debug.traceback)
check("spec ran without a Lua error", ok, err)
out("DONE")
vim.cmd("qa!")
