-- nvim_test.lua - Neovim (0.7 or later, headless) drives `courselint lsp`
-- through its built-in client on a copy of tests/lsp/course: diagnostics
-- of unsaved text, definition, hover, completion, references and a rename
-- applied to the buffers. Writes TAP lines to $OUT; run by
-- tests/report/lsp_nvim.sh.
local root = os.getenv('COURSE')
local out = assert(io.open(os.getenv('OUT'), 'w'))
local n = 0
local function check(ok, name, detail)
  n = n + 1
  out:write(string.format('%s %d - %s\n', ok and 'ok' or 'not ok', n, name))
  if not ok and detail then
    out:write('    # ' .. vim.inspect(detail):gsub('\n', '\n    # ') .. '\n')
  end
  out:flush()
end

local ok, err = pcall(function()
  local id = vim.lsp.start_client({
    name = 'courselint',
    cmd = { os.getenv('CLINT'), 'lsp' },
    root_dir = root,
  })
  check(id ~= nil, 'start_client starts courselint lsp')
  local plan = root .. '/01_basics/01_weekly_plan.md'
  vim.cmd('edit ' .. plan)
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, id)
  local client = vim.lsp.get_client_by_id(id)
  check(vim.wait(20000, function()
    return client.initialized
  end, 50), 'the server initializes')

  -- Unsaved text: a broken link typed at the end.
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { '', 'See [x](nowhere.md).' })
  local last = vim.api.nvim_buf_line_count(buf) - 1
  local got = vim.wait(20000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'link/missing-file' and d.lnum == last then
        return true
      end
    end
    return false
  end, 50)
  check(got, 'diagnostics of unsaved text, on the typed line',
    vim.diagnostic.get(buf))

  local function at(line, ch)
    return {
      textDocument = { uri = vim.uri_from_bufnr(buf) },
      position = { line = line, character = ch },
    }
  end
  local function one(method, params)
    local res = vim.lsp.buf_request_sync(buf, method, params, 20000)
    local r = res and res[id]
    return r and r.result, r and r.error
  end

  local def = one('textDocument/definition', at(2, 10))
  check(def and def.uri:match('02_explainer%.md$') and def.range.start.line == 10,
    'definition of a link goes to the heading', def)

  local hover = one('textDocument/hover', at(2, 10))
  check(hover and hover.contents.value:find('Attention lets every token', 1, true),
    'hover shows the heading and its first lines', hover)

  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { '[c](02_explainer.md#' })
  local cl = vim.api.nvim_buf_line_count(buf) - 1
  local comp = one('textDocument/completion', at(cl, 20))
  local labels = {}
  for _, it in ipairs(comp and comp.items or {}) do
    labels[#labels + 1] = it.label
  end
  check(vim.tbl_contains(labels, '2-attention'),
    'completion after # offers the anchors', labels)

  vim.cmd('edit ' .. root .. '/01_basics/02_explainer.md')
  local ebuf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(ebuf, id)
  local eparams = {
    textDocument = { uri = vim.uri_from_bufnr(ebuf) },
    position = { line = 10, character = 5 },
    context = { includeDeclaration = false },
  }
  local refs = vim.lsp.buf_request_sync(ebuf, 'textDocument/references',
    eparams, 20000)
  local list = refs and refs[id] and refs[id].result or {}
  check(#list == 4, 'references of a heading across pages (links and prose)',
    list)

  eparams.newName = '2. Focus'
  local ren = vim.lsp.buf_request_sync(ebuf, 'textDocument/rename', eparams,
    20000)
  local edit = ren and ren[id] and ren[id].result
  check(edit ~= nil, 'rename answers a workspace edit', ren)
  if edit then
    vim.lsp.util.apply_workspace_edit(edit, 'utf-16')
    local heading = vim.api.nvim_buf_get_lines(ebuf, 10, 11, false)[1]
    check(heading == '## 2. Focus', 'rename: the heading', heading)
    local link = vim.api.nvim_buf_get_lines(buf, 2, 3, false)[1]
    check(link and link:find('#2-focus', 1, true),
      'rename: the link in the other buffer', link)
  end
  vim.lsp.stop_client(id)
  check(vim.wait(10000, function()
    return vim.lsp.get_client_by_id(id) == nil or client.is_stopped()
  end, 50), 'the server stops')
end)
if not ok then
  check(false, 'the editor test ran to its end', err)
end
out:write('1..' .. n .. '\n')
out:close()
vim.cmd('qa!')
