// Retouch web page: plain JavaScript, no libraries, no build step.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const state = { file: null, fileUrl: null, resultUrl: null, models: null, drawing: false, last: null, painted: false };
  const imageCanvas = $('image-canvas');
  const maskCanvas = $('mask-canvas');
  const MASK_TASKS = ['inpaint'];

  // ---------------------------------------------------------------- tabs
  document.querySelectorAll('.tab').forEach((tab) => tab.addEventListener('click', () => {
    document.querySelectorAll('.tab').forEach((t) => {
      const on = t === tab;
      t.classList.toggle('active', on);
      t.setAttribute('aria-selected', String(on));
      $(t.dataset.panel).classList.toggle('hidden', !on);
    });
  }));

  // ---------------------------------------------------------------- messages
  function say(el, text, kind) {
    el.textContent = text || '';
    el.className = 'message' + (kind ? ' ' + kind : '');
  }

  async function errorText(response) {
    let text = response.status + ' ' + response.statusText;
    try {
      const body = await response.json();
      if (body && body.message) text = body.message + ' (' + body.error + ')';
    } catch (e) { /* not JSON */ }
    const retry = response.headers.get('Retry-After');
    if (retry) text += ' \u2014 retry in ' + retry + ' s';
    return text;
  }

  // ---------------------------------------------------------------- models and tasks
  async function loadModels() {
    try {
      const r = await fetch('v1/models');
      if (!r.ok) throw new Error(await errorText(r));
      state.models = await r.json();
    } catch (e) {
      say($('message'), 'Cannot list the server\'s models: ' + e.message, 'error');
      return;
    }
    fillTasks();
    showTask();
    fillGenerators();
  }

  // The task list comes from the server (its task registry), so the page never lists another.
  function fillTasks() {
    const tasks = state.models && state.models.tasks ? state.models.tasks : null;
    if (!tasks) return;
    const select = $('task');
    const chosen = select.value;
    select.textContent = '';
    for (const [id, t] of Object.entries(tasks)) {
      if (id === 'generate') continue; // synthesis has its own tab
      const option = document.createElement('option');
      option.value = id;
      const label = t.label || id;
      option.textContent = label.charAt(0).toUpperCase() + label.slice(1) + (MASK_TASKS.includes(id) ? ' (draw the holes)' : '');
      select.appendChild(option);
    }
    if (tasks[chosen]) select.value = chosen;
  }

  function showTask() {
    const task = $('task').value;
    document.body.classList.toggle('masking', MASK_TASKS.includes(task));
    $('sigma-row').classList.toggle('hidden', task !== 'denoise' && task !== 'deblur');
    const info = $('task-info');
    const t = state.models && state.models.tasks ? state.models.tasks[task] : null;
    if (!t) { info.textContent = ''; info.className = 'info'; return; }
    if (!t.available) {
      info.textContent = t.message;
      info.className = 'info warn';
    } else if (t.note) {
      info.textContent = t.note;
      info.className = 'info warn';
    } else {
      info.textContent = 'Uses ' + (t.kind === 'model' ? 'model ' : 'the classical method ') + t.method + '.';
      info.className = 'info';
    }
  }
  $('task').addEventListener('change', showTask);

  // ---------------------------------------------------------------- input image
  const drop = $('drop');
  ['dragenter', 'dragover'].forEach((ev) => drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add('over'); }));
  ['dragleave', 'drop'].forEach((ev) => drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.remove('over'); }));
  drop.addEventListener('drop', (e) => { if (e.dataTransfer.files.length) useFile(e.dataTransfer.files[0]); });
  $('file').addEventListener('change', (e) => { if (e.target.files.length) useFile(e.target.files[0]); });

  function useFile(file) {
    state.file = file;
    if (state.fileUrl) URL.revokeObjectURL(state.fileUrl);
    state.fileUrl = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      imageCanvas.width = maskCanvas.width = img.naturalWidth;
      imageCanvas.height = maskCanvas.height = img.naturalHeight;
      imageCanvas.getContext('2d').drawImage(img, 0, 0);
      clearMask();
      $('editor').classList.remove('hidden');
      $('output').classList.add('hidden');
      $('run').disabled = false;
      say($('message'), file.name + ': ' + img.naturalWidth + '\u00d7' + img.naturalHeight);
      document.body.dataset.imageReady = 'true';
    };
    img.onerror = () => say($('message'), file.name + ' is not an image this browser can show; the server may still read it', 'note');
    img.src = state.fileUrl;
  }

  // ---------------------------------------------------------------- mask brush
  function clearMask() {
    maskCanvas.getContext('2d').clearRect(0, 0, maskCanvas.width, maskCanvas.height);
    state.painted = false;
  }
  $('clear-mask').addEventListener('click', clearMask);

  function canvasPoint(e) {
    const r = maskCanvas.getBoundingClientRect();
    return { x: (e.clientX - r.left) * maskCanvas.width / r.width, y: (e.clientY - r.top) * maskCanvas.height / r.height };
  }

  // The brush is sized in pixels of the photo (the mask canvas has the photo's size), so thin
  // strokes stay thin on a big photo shown small: 3-10 px for scratches and wires, more for objects.
  function brushWidth() {
    return Math.max(1, Number($('brush').value));
  }
  $('brush').addEventListener('input', () => { $('brush-size').textContent = $('brush').value + ' px'; });

  function paint(from, to) {
    const g = maskCanvas.getContext('2d');
    g.strokeStyle = g.fillStyle = 'rgb(255, 40, 40)';
    g.lineWidth = brushWidth();
    g.lineCap = g.lineJoin = 'round';
    g.beginPath();
    g.moveTo(from.x, from.y);
    g.lineTo(to.x + 0.01, to.y);
    g.stroke();
    state.painted = true;
  }

  maskCanvas.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    state.drawing = true;
    state.last = canvasPoint(e);
    paint(state.last, state.last);
    if (maskCanvas.setPointerCapture) maskCanvas.setPointerCapture(e.pointerId);
  });
  maskCanvas.addEventListener('pointermove', (e) => {
    if (!state.drawing) return;
    const p = canvasPoint(e);
    paint(state.last, p);
    state.last = p;
  });
  ['pointerup', 'pointercancel', 'pointerleave'].forEach((ev) => maskCanvas.addEventListener(ev, () => { state.drawing = false; }));

  /** The mask as an opaque black/white canvas: white where painted (any coverage), black elsewhere. */
  function maskBinaryCanvas() {
    const w = maskCanvas.width, h = maskCanvas.height;
    const src = maskCanvas.getContext('2d').getImageData(0, 0, w, h).data;
    const out = document.createElement('canvas');
    out.width = w; out.height = h;
    const g = out.getContext('2d');
    const img = g.createImageData(w, h);
    for (let i = 0; i < src.length; i += 4) {
      const v = src[i + 3] > 0 ? 255 : 0;
      img.data[i] = img.data[i + 1] = img.data[i + 2] = v;
      img.data[i + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    return out;
  }

  // ---------------------------------------------------------------- restore
  $('run').addEventListener('click', async () => {
    if (!state.file) return;
    const task = $('task').value;
    const form = new FormData();
    form.append('image', state.file, state.file.name || 'image.png');
    form.append('task', task);
    if (task === 'denoise' || task === 'deblur') form.append('sigma', $('sigma').value.trim() || 'auto');
    if (MASK_TASKS.includes(task)) {
      if (!state.painted) { say($('message'), 'Paint over the parts to fill first (the brush works on the input picture).', 'error'); return; }
      const blob = await new Promise((res) => maskBinaryCanvas().toBlob(res, 'image/png'));
      form.append('mask', blob, 'mask.png');
    }
    $('run').disabled = true;
    delete document.body.dataset.resultReady;
    say($('message'), 'Working\u2026');
    const t0 = performance.now();
    try {
      const r = await fetch('v1/restore', { method: 'POST', body: form });
      if (!r.ok) { say($('message'), await errorText(r), 'error'); document.body.dataset.resultError = 'true'; return; }
      const blob = await r.blob();
      if (state.resultUrl) URL.revokeObjectURL(state.resultUrl);
      state.resultUrl = URL.createObjectURL(blob);
      $('before').src = state.fileUrl;
      const result = $('result');
      result.onload = () => { document.body.dataset.resultReady = 'true'; };
      result.src = state.resultUrl;
      $('download').href = state.resultUrl;
      $('download').download = (state.file.name || 'image').replace(/\.[^.]*$/, '') + '-' + task + '.png';
      $('output').classList.remove('hidden');
      const method = r.headers.get('X-Retouch-Method');
      const kind = r.headers.get('X-Retouch-Method-Kind');
      const note = r.headers.get('X-Retouch-Note');
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      say($('message'), (note ? note + '. ' : '') + 'Done with ' + (kind === 'classical' ? 'the classical method ' : 'model ') + method + ' in ' + secs + ' s.', note ? 'note' : '');
    } catch (e) {
      say($('message'), 'The request failed: ' + e.message, 'error');
    } finally {
      $('run').disabled = false;
    }
  });

  $('slider').addEventListener('input', (e) => {
    $('compare').style.setProperty('--pos', Number(e.target.value) + '%');
  });

  // ---------------------------------------------------------------- generate
  function generators() {
    return state.models ? state.models.models.filter((m) => (m.tasks || []).includes('generate')) : [];
  }

  function fillGenerators() {
    const sel = $('gen-model');
    sel.innerHTML = '';
    const gens = generators();
    gens.forEach((m) => sel.add(new Option(m.name, m.name)));
    if (!gens.length) {
      say($('gen-message'), 'No generator model is installed on this server.', 'note');
      $('gen-run').disabled = true;
    }
    fillLabels();
  }

  function fillLabels() {
    const m = generators().find((g) => g.name === $('gen-model').value);
    const sel = $('gen-label');
    sel.innerHTML = '';
    const labels = m ? (m.labels || []) : [];
    sel.add(new Option(labels.length ? 'every class in turn' : '(unconditional)', ''));
    labels.forEach((l) => sel.add(new Option(l, l)));
    sel.disabled = !labels.length;
  }
  $('gen-model').addEventListener('change', fillLabels);

  $('gen-run').addEventListener('click', async () => {
    const q = new URLSearchParams({ model: $('gen-model').value, n: $('gen-n').value, seed: $('gen-seed').value, format: 'png' });
    if ($('gen-label').value) q.set('label', $('gen-label').value);
    $('gen-run').disabled = true;
    delete document.body.dataset.gridReady;
    say($('gen-message'), 'Working\u2026');
    try {
      const r = await fetch('v1/generate?' + q.toString());
      if (!r.ok) { say($('gen-message'), await errorText(r), 'error'); return; }
      const blob = await r.blob();
      const img = $('gen-result');
      img.onload = () => {
        img.style.width = Math.min(640, img.naturalWidth * 4) + 'px';
        document.body.dataset.gridReady = 'true';
      };
      img.src = URL.createObjectURL(blob);
      img.classList.remove('hidden');
      say($('gen-message'), r.headers.get('X-Retouch-Model') + ', label ' + r.headers.get('X-Retouch-Label') + ', seed ' + r.headers.get('X-Retouch-Seed'));
    } catch (e) {
      say($('gen-message'), 'The request failed: ' + e.message, 'error');
    } finally {
      $('gen-run').disabled = false;
    }
  });

  // Hooks for the browser test: the mask as sent and the result as received, as PNG data URLs.
  window.retouchPage = {
    maskDataUrl: () => maskBinaryCanvas().toDataURL('image/png'),
    resultDataUrl: async () => {
      if (!state.resultUrl) return null;
      const blob = await (await fetch(state.resultUrl)).blob();
      return await new Promise((res) => { const fr = new FileReader(); fr.onload = () => res(fr.result); fr.readAsDataURL(blob); });
    },
  };

  showTask();
  loadModels();
})();
