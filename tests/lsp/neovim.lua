-- Drives Neovim's built-in LSP client against `kubeharden lsp` (run by tests/lsp/neovim.test.mjs):
-- opens a manifest, waits for the diagnostics Neovim shows, edits the buffer (Neovim sends
-- incremental changes), asks for code actions and hover, stops the server, and writes what it
-- saw as JSON. Written for Neovim 0.7 (Debian 12's) and later.
local bin, workspace, file, out = os.getenv('KH_BIN'), os.getenv('KH_WORKSPACE'), os.getenv('KH_FILE'), os.getenv('KH_OUT')
local result = { errors = {} }

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd('qa!')
end

local function check(ok, message)
  if not ok then table.insert(result.errors, message) end
  return ok
end

local function shown(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(list, { code = d.code, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity, source = d.source, message = d.message })
  end
  return list
end

local function has(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then return true end
  end
  return false
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = 'yaml'

local exit_code
local config = {
  name = 'kubeharden',
  cmd = { bin, 'lsp' },
  root_dir = workspace,
  settings = { kubeharden = { debounceMs = 50 } },
  on_exit = function(code) exit_code = code end,
}
local start
if vim.lsp.start then
  start = vim.lsp.start(config, { bufnr = buf }) -- 0.8 and later
else
  start = vim.lsp.start_client(config)
  if start then vim.lsp.buf_attach_client(buf, start) end
end
if not check(start ~= nil, 'the client did not start') then return finish() end

-- Client methods are called with `:` from 0.11 on, with `.` before.
local modern = vim.fn.has('nvim-0.11') == 1
local function request(client, method, params)
  if modern then return client:request_sync(method, params, 10000, buf) end
  return client.request_sync(method, params, 10000, buf)
end

check(vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 20), 'no diagnostics shown')
result.opened = shown(buf)

-- `privileged: yes` -> `privileged: false`, as a user would type it (an incremental change).
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
for i, line in ipairs(lines) do
  local s, e = line:find('privileged: yes', 1, true)
  if s then vim.api.nvim_buf_set_text(buf, i - 1, e - 3, i - 1, e, { 'false' }) end
end
check(vim.wait(15000, function() return not has(buf, 'pss-privileged') end, 20), 'the edit was not re-linted')
result.edited = shown(buf)

local client = vim.lsp.get_client_by_id(start)
local first = vim.diagnostic.get(buf)[1]
local position = { line = first.lnum, character = first.col }
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = position, ['end'] = position },
  context = { diagnostics = {} },
}
local actions = request(client, 'textDocument/codeAction', params)
result.actions = {}
if check(actions and actions.result, 'no code actions') then
  for _, a in ipairs(actions.result) do table.insert(result.actions, a.title) end
end
local hover = request(client, 'textDocument/hover', { textDocument = params.textDocument, position = { line = first.lnum, character = first.col } })
result.hover = hover and hover.result and hover.result.contents and hover.result.contents.value or ''

vim.lsp.stop_client(start)
check(vim.wait(10000, function() return exit_code ~= nil end, 20), 'the server did not exit')
result.exit_code = exit_code
finish()
