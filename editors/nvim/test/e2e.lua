-- Headless end-to-end scenario for the Neovim plugin, run on the draft given on the command
-- line after init.lua has set the plugin up:
--   nvim --headless -u editors/nvim/test/init.lua -c 'luafile editors/nvim/test/e2e.lua' DRAFT
-- Exit status 0 when every step passes; 1 with "FAIL: ..." on standard error otherwise.
local copydesk = require('copydesk')
local t0 = vim.uv.hrtime()

local function log(fmt, ...)
  io.stdout:write(('[nvim %5.2fs] '):format((vim.uv.hrtime() - t0) / 1e9) .. fmt:format(...) .. '\n')
end

-- Messages from the plugin, one a line in the log.
vim.notify = function(message, level)
  log('notify(%s): %s', level or vim.log.levels.INFO, message)
end

local function wait(what, ms, predicate)
  if not vim.wait(ms, predicate, 20) then
    error('timed out after ' .. ms .. ' ms waiting for ' .. what, 2)
  end
end

local function codes(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out, d.code)
  end
  table.sort(out)
  return table.concat(out, ',')
end

local function text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
end

local function read(path)
  local f = assert(io.open(path, 'rb'))
  local s = f:read('*a')
  f:close()
  return s
end

local function scenario()
  local bufnr = vim.api.nvim_get_current_buf()
  local file = vim.api.nvim_buf_get_name(bufnr)
  assert(vim.bo[bufnr].filetype == 'markdown', 'filetype is ' .. vim.bo[bufnr].filetype)
  log('Neovim %s, draft %s', tostring(vim.version()), file)

  -- 1. The server starts for the Markdown buffer, rooted at the folder with copydesk.toml.
  wait('the server to attach', 15000, function()
    local c = copydesk.client(bufnr)
    return c ~= nil and c.initialized == true
  end)
  local client = assert(copydesk.client(bufnr))
  assert(client.root_dir == vim.fs.dirname(file), 'root_dir ' .. tostring(client.root_dir))
  log('attached: client %d, root %s, %s positions', client.id, client.root_dir, client.offset_encoding)

  -- 2. Diagnostics arrive, and they were pulled (textDocument/diagnostic), not pushed.
  local want = 'article-mismatch,placeholder-text,repeated-word,stray-punctuation'
  wait('four diagnostics', 15000, function()
    return codes(bufnr) == want
  end)
  local pulled = vim.lsp.diagnostic.get_namespace(client.id, true)
  assert(#vim.diagnostic.get(bufnr, { namespace = pulled }) == 4, 'diagnostics are not in the pull namespace')
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == 'article-mismatch' then
      assert(d.severity == vim.diagnostic.severity.ERROR, 'the rules setting from setup() was not applied')
    end
  end
  log('diagnostics (pulled): %s', want)

  -- 3. A quick fix, the way a user applies one: cursor on the finding, vim.lsp.buf.code_action.
  local repeated = vim.iter(vim.diagnostic.get(bufnr)):find(function(d)
    return d.code == 'repeated-word'
  end)
  vim.api.nvim_win_set_cursor(0, { repeated.lnum + 1, repeated.col })
  local titles = {}
  vim.lsp.buf.code_action({
    context = { only = { 'quickfix' } },
    filter = function(action)
      table.insert(titles, action.title)
      return action.title == 'Remove the repeated "the"'
    end,
    apply = true,
  })
  wait('the quick fix', 10000, function()
    return vim.api.nvim_buf_get_lines(bufnr, 2, 3, false)[1]:find('said the plan', 1, true) ~= nil
  end)
  assert(vim.tbl_contains(titles, 'Ignore repeated-word on this line'), 'offered: ' .. table.concat(titles, ' | '))
  wait('three diagnostics after the quick fix', 10000, function()
    return codes(bufnr) == 'article-mismatch,placeholder-text,stray-punctuation'
  end)
  log('quick fix applied (offered: %s)', table.concat(titles, ' | '))

  -- 4. Hover on a person's surname.
  local line = vim.api.nvim_buf_get_lines(bufnr, 3, 4, false)[1]
  local col = assert(line:find('Reyes', 1, true)) - 1
  local hover = client:request_sync('textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = 3, character = col },
  }, 5000, bufnr)
  local contents = hover and hover.result and hover.result.contents
  local value = type(contents) == 'table' and (contents.value or vim.inspect(contents)) or tostring(contents)
  assert(value:find('Ana Reyes', 1, true) and value:find('Mayor', 1, true), 'hover: ' .. value)
  log('hover on Reyes: %s', (value:gsub('\n.*', '')))

  -- 5. The plugin turned on inlay hints (the quotation's speaker) and the quotes code lens.
  wait('an inlay hint', 10000, function()
    return #vim.lsp.inlay_hint.get({ bufnr = bufnr }) > 0
  end)
  local hint = vim.lsp.inlay_hint.get({ bufnr = bufnr })[1].inlay_hint
  local label = type(hint.label) == 'string' and hint.label
    or table.concat(vim.tbl_map(function(part) return part.value end, hint.label))
  assert(label:find('Reyes', 1, true), 'inlay hint: ' .. label)
  wait('the code lens', 10000, function()
    local lenses = vim.lsp.codelens.get(bufnr)
    return #lenses > 0 and lenses[1].command ~= nil
  end)
  log('inlay hint %q; code lens %q', label, vim.lsp.codelens.get(bufnr)[1].command.title)

  -- 6. :CopydeskFixAll applies the remaining safe fixes; the placeholder has none.
  vim.cmd('CopydeskFixAll')
  wait('the fixes', 10000, function()
    local t = text(bufnr)
    return t:find('midnight, officials', 1, true) and t:find('an important step', 1, true)
  end)
  wait('one diagnostic after fix-all', 10000, function()
    return codes(bufnr) == 'placeholder-text'
  end)
  log(':CopydeskFixAll applied the safe fixes; left: placeholder-text')

  -- 7. :CopydeskRestart brings up a new server that checks the buffer again.
  vim.cmd('CopydeskRestart')
  wait('the restarted server', 15000, function()
    local c = copydesk.client(bufnr)
    return c ~= nil and c.id ~= client.id and c.initialized == true
  end)
  local restarted = assert(copydesk.client(bufnr))
  wait('diagnostics from the restarted server', 15000, function()
    return #vim.diagnostic.get(bufnr, { namespace = vim.lsp.diagnostic.get_namespace(restarted.id, true) }) == 1
  end)
  assert(client:is_stopped(), 'the old server is still running')
  log(':CopydeskRestart: client %d replaced by %d', client.id, restarted.id)

  -- 8. Write, and check the file on disk.
  vim.cmd('silent write')
  local expected = read(os.getenv('COPYDESK_EXPECTED'))
  local written = read(file)
  assert(written == expected, 'file on disk:\n' .. written .. '\nexpected:\n' .. expected)
  log('written and checked on disk')

  -- 9. :checkhealth copydesk finds the binary and the running server.
  vim.cmd('silent checkhealth copydesk')
  local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  assert(report:find('copydesk', 1, true) and report:find('running for 1 buffer', 1, true), 'checkhealth:\n' .. report)
  assert(not report:find('ERROR', 1, true), 'checkhealth reports an error:\n' .. report)
  log(':checkhealth copydesk: OK (%s)', (report:match('OK [^\n]*copydesk %d[^\n]*') or '?'))

  restarted:stop()
  wait('the server to stop', 5000, function()
    return restarted:is_stopped()
  end)
end

local ok, err = xpcall(scenario, debug.traceback)
if ok then
  log('PASS')
  vim.cmd('qall!')
else
  io.stderr:write('FAIL: ' .. tostring(err) .. '\n')
  vim.cmd('cquit 1')
end
