--- copydesk for Neovim 0.11+: runs `copydesk server` for Markdown buffers through the
--- built-in LSP client (`vim.lsp.config` / `vim.lsp.enable`), and adds :CopydeskFixAll,
--- :CopydeskRestart and :CopydeskQuotes. See `:help copydesk`.
local M = {}

--- The server's command that applies every safe fix to a draft (arguments: `{ uri }`).
local FIX_ALL_COMMAND = 'copydesk.fixAll'
--- The server's command listing a draft's quotations (arguments: `{ uri }`).
local LIST_QUOTES_COMMAND = 'copydesk.listQuotes'
M.name = 'copydesk'

---@class copydesk.Options
---@field cmd? string[] Server command; default `{ path or "copydesk", "server" }`.
---@field path? string The `copydesk` binary, when it is not on PATH.
---@field filetypes? string[] Default `{ "markdown" }`.
---@field root_markers? string[] Default `{ "copydesk.toml", ".git" }` (searched in that order).
---@field settings? table The server's settings: `style`, `rules`, `inlayHints`, `codeLens`, `documentationUrl`.
---@field inlay_hints? boolean Turn on Neovim's inlay hints in copydesk buffers (default true).
---@field codelens? boolean Show and refresh the quotes code lens (default true).
---@field fix_all_on_save? boolean Apply every safe fix before writing (default false).
---@field on_attach? fun(client: vim.lsp.Client, bufnr: integer)
---@field capabilities? table Extra client capabilities (e.g. from a completion plugin).

M.defaults = {
  filetypes = { 'markdown' },
  root_markers = { 'copydesk.toml', '.git' },
  settings = {},
  inlay_hints = true,
  codelens = true,
  fix_all_on_save = false,
}

---@type copydesk.Options
M.options = vim.deepcopy(M.defaults)

local function notify(message, level)
  vim.notify('copydesk: ' .. message, level or vim.log.levels.INFO)
end

--- JSON objects, never arrays: Lua's `{}` would be sent as `[]`, which the server rejects.
local function as_object(value)
  if type(value) ~= 'table' then
    return value
  end
  if vim.islist(value) and #value > 0 then
    return value
  end
  local out = vim.empty_dict()
  for k, v in pairs(value) do
    out[k] = as_object(v)
  end
  return out
end

--- The copydesk client attached to a buffer, if any.
---@param bufnr? integer
---@return vim.lsp.Client?
function M.client(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr or 0, name = M.name })[1]
end

--- Applies every safe fix in the buffer, in one undoable edit. Waits for the edit (up to
--- `timeout_ms`), so `:CopydeskFixAll | write` writes the fixed text.
---@param bufnr? integer
---@param timeout_ms? integer
---@return boolean applied
function M.fix_all(bufnr, timeout_ms)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = M.client(bufnr)
  if not client then
    notify('the server is not attached to this buffer (see :checkhealth copydesk)', vim.log.levels.WARN)
    return false
  end
  -- The server answers with a workspace/applyEdit request, which Neovim carries out while
  -- this waits for the response.
  local response, err = client:request_sync('workspace/executeCommand', {
    command = FIX_ALL_COMMAND,
    arguments = { vim.uri_from_bufnr(bufnr) },
  }, timeout_ms or 5000, bufnr)
  if not response then
    notify('fixing the draft failed: ' .. tostring(err), vim.log.levels.ERROR)
    return false
  end
  if response.err then
    notify('fixing the draft failed: ' .. (response.err.message or vim.inspect(response.err)), vim.log.levels.ERROR)
    return false
  end
  local applied = type(response.result) == 'table' and response.result.applied == true
  if not applied then
    notify('no safe fixes to apply in this draft')
  end
  return applied
end

--- Lists the buffer's quotations, by speaker, in the location list.
---@param bufnr? integer
function M.quotes(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = M.client(bufnr)
  if not client then
    notify('the server is not attached to this buffer', vim.log.levels.WARN)
    return
  end
  local response = client:request_sync('workspace/executeCommand', {
    command = LIST_QUOTES_COMMAND,
    arguments = { vim.uri_from_bufnr(bufnr) },
  }, 5000, bufnr)
  if not response or response.err or type(response.result) ~= 'table' then
    notify('listing quotes failed', vim.log.levels.ERROR)
    return
  end
  local items = {}
  for _, quote in ipairs(response.result) do
    local start = quote.location.range.start
    local line = vim.api.nvim_buf_get_lines(bufnr, start.line, start.line + 1, false)[1] or ''
    local speaker = quote.speaker ~= vim.NIL and quote.speaker or 'unattributed'
    table.insert(items, {
      bufnr = bufnr,
      lnum = start.line + 1,
      col = vim.str_byteindex(line, client.offset_encoding, start.character, false) + 1,
      text = speaker .. ': ' .. quote.text,
    })
  end
  vim.fn.setloclist(0, {}, ' ', { title = 'copydesk quotes', items = items })
  vim.cmd.lopen()
end

local function start_in(bufnr)
  local config = vim.lsp.config[M.name]
  if not config then
    return
  end
  config = vim.deepcopy(config)
  config.root_dir = vim.fs.root(bufnr, config.root_markers or M.defaults.root_markers)
  vim.lsp.start(config, { bufnr = bufnr })
end

--- Stops the server and starts it again for the buffers it served (and the current buffer,
--- if it is a Markdown buffer): picks up a changed `copydesk.toml` or a new binary.
function M.restart()
  local buffers = {}
  local clients = vim.lsp.get_clients({ name = M.name })
  for _, client in ipairs(clients) do
    for bufnr in pairs(client.attached_buffers) do
      buffers[bufnr] = true
    end
    client:stop()
  end
  local stopped = vim.wait(3000, function()
    return vim.iter(clients):all(function(client)
      return client:is_stopped()
    end)
  end, 20)
  if not stopped then
    for _, client in ipairs(clients) do
      client:stop(true)
    end
  end
  local current = vim.api.nvim_get_current_buf()
  if vim.tbl_contains(M.options.filetypes, vim.bo[current].filetype) then
    buffers[current] = true
  end
  for bufnr in pairs(buffers) do
    if vim.api.nvim_buf_is_valid(bufnr) and vim.api.nvim_buf_is_loaded(bufnr) then
      start_in(bufnr)
    end
  end
  notify(('server restarted (%d buffer%s)'):format(vim.tbl_count(buffers), vim.tbl_count(buffers) == 1 and '' or 's'))
end

local function on_attach(client, bufnr)
  local opts = M.options
  if opts.inlay_hints and vim.lsp.inlay_hint then
    vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
  end
  if opts.codelens then
    local group = vim.api.nvim_create_augroup('copydesk_codelens_' .. bufnr, { clear = true })
    vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'BufWritePost' }, {
      group = group,
      buffer = bufnr,
      callback = function()
        if M.client(bufnr) then
          vim.lsp.codelens.refresh({ bufnr = bufnr })
        end
      end,
    })
    vim.lsp.codelens.refresh({ bufnr = bufnr })
  end
  if opts.fix_all_on_save then
    local group = vim.api.nvim_create_augroup('copydesk_fix_on_save_' .. bufnr, { clear = true })
    vim.api.nvim_create_autocmd('BufWritePre', {
      group = group,
      buffer = bufnr,
      callback = function()
        if M.client(bufnr) then
          M.fix_all(bufnr, 2000)
        end
      end,
    })
  end
  if opts.on_attach then
    opts.on_attach(client, bufnr)
  end
end

function M.not_found_message(program)
  return ('`%s` was not found or is not executable. Install copydesk (`cargo install --path .` in a checkout puts it on PATH) or pass `path = "/path/to/copydesk"` to setup(), then restart Neovim.'):format(
    program
  )
end

function M.register_commands()
  vim.api.nvim_create_user_command('CopydeskFixAll', function()
    M.fix_all(0)
  end, { desc = 'copydesk: apply every safe fix in this buffer', bar = true })
  vim.api.nvim_create_user_command('CopydeskRestart', function()
    M.restart()
  end, { desc = 'copydesk: restart the language server', bar = true })
  vim.api.nvim_create_user_command('CopydeskQuotes', function()
    M.quotes(0)
  end, { desc = "copydesk: list this draft's quotations in the location list", bar = true })
end

--- Configures and enables the copydesk language server.
---@param opts? copydesk.Options
function M.setup(opts)
  if vim.fn.has('nvim-0.11') == 0 then
    notify('needs Neovim 0.11 or newer (vim.lsp.config); see the README for nvim-lspconfig', vim.log.levels.ERROR)
    return
  end
  -- Options replace the defaults key by key (a list given replaces the default list).
  local o = vim.deepcopy(M.defaults)
  for key, value in pairs(opts or {}) do
    o[key] = value
  end
  M.options = o
  local cmd = o.cmd or { o.path or 'copydesk', 'server' }
  o.cmd = cmd
  M.register_commands()
  if vim.fn.executable(cmd[1]) == 0 then
    notify(M.not_found_message(cmd[1]), vim.log.levels.ERROR)
    return
  end
  local settings = as_object(o.settings or {})
  vim.lsp.config(M.name, {
    cmd = cmd,
    filetypes = o.filetypes,
    root_markers = o.root_markers,
    -- Both: the settings are in force for the first check, and answer workspace/configuration.
    init_options = settings,
    settings = { copydesk = settings },
    capabilities = o.capabilities,
    on_attach = on_attach,
  })
  vim.lsp.enable(M.name)
end

return M
