-- The plugin-less setup the README shows: editors/nvim on 'runtimepath' and
-- vim.lsp.enable('copydesk'), which reads lsp/copydesk.lua. Only the command is changed, to
-- the binary under test. Run on a draft:
--   nvim --headless --clean -c 'luafile editors/nvim/test/bare.lua' DRAFT   (exit status 0 = pass)
local plugin = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h:h')
vim.opt.runtimepath:append(plugin)
vim.lsp.config('copydesk', { cmd = { assert(os.getenv('COPYDESK_BIN')), 'server' } })
vim.lsp.enable('copydesk')
-- The draft was opened before this ran: start the server as a FileType event would have.
vim.cmd.doautoall('FileType')
local bufnr = vim.api.nvim_get_current_buf()
local ok = vim.wait(15000, function()
  return #vim.diagnostic.get(bufnr) == 4
end, 20)
local client = vim.lsp.get_clients({ bufnr = bufnr, name = 'copydesk' })[1]
io.stdout:write(('[nvim-bare] %s: %d diagnostics, root %s\n'):format(
  ok and 'PASS' or 'FAIL',
  #vim.diagnostic.get(bufnr),
  client and client.root_dir or '(no client)'
))
if client then
  client:stop()
  vim.wait(3000, function()
    return client:is_stopped()
  end, 20)
end
local rooted = client ~= nil and client.root_dir == vim.fs.dirname(vim.api.nvim_buf_get_name(bufnr))
vim.cmd((ok and rooted) and 'qall!' or 'cquit 1')
