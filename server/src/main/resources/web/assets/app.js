// Chroma402's web page: choose a photo, pay its invoice with any Lightning wallet, get it back in
// colour. It speaks the same public API as any other client (POST, 402, pay, POST again with the
// credential); for phone wallets, whose preimage the page cannot see, it long-polls the server,
// which gives the preimage to whoever holds the macaroon as issued once the invoice is paid.
// Paths are relative, so the page also works behind a reverse proxy under a path prefix.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const state = {
    info: null,
    modelReady: false,
    infoTimer: null,
    file: null,
    previewUrl: null,
    body: null,
    macaroon: null,
    invoice: null,
    expiresAt: 0,
    generation: 0,
    redeeming: false,
    lastPreimage: null,
    workingSince: 0,
  };

  const FRIENDLY = {
    invalid_json: 'The page sent something the server did not understand',
    missing_image: 'No photo was sent',
    invalid_base64: 'The photo could not be sent correctly',
    invalid_image: 'That file is not a photo we can read',
    unsupported_format: 'That kind of file is not supported',
    image_too_large: 'That photo is too large',
    unknown_model_size: 'That model does not exist here',
    model_unavailable: 'That model is not available right now',
    rate_limited: 'Too many invoices were requested from your address',
    server_busy: 'The server is busy colorizing other photos',
    too_many_jobs: 'Your address has as many unpaid invoices and running jobs as it may: pay or wait for those first',
    queue_full: 'The server has as many paid photos queued as it takes',
    lightning_unavailable: 'Payments are unavailable right now',
    database_unavailable: 'The server has a problem right now',
    colorization_failed: 'The colorization failed',
    result_expired: 'This result has expired',
    payment_failed: 'The payment did not go through',
    payment_required: 'The payment was not recognised',
    network: 'The server could not be reached',
  };

  function show(id, visible) {
    $(id).hidden = !visible;
  }

  function status(text) {
    $('status').textContent = text || '';
    show('status', Boolean(text));
  }

  function clearError() {
    show('error', false);
    show('retry', false);
  }

  /** Shows an error in words: the server's message is kept, its advice is shown as advice. */
  function error(code, message, suggestion, retry) {
    status('');
    $('error-title').textContent = FRIENDLY[code] || 'Something went wrong';
    const sentence = (t) => t.charAt(0).toUpperCase() + t.slice(1).replace(/\.$/, '') + '.';
    $('error-text').textContent = [message, suggestion].filter(Boolean).map(sentence).join(' ');
    show('error', true);
    show('retry', Boolean(retry));
    $('retry').onclick = retry || null;
  }

  function bytes(n) {
    if (n < 1024) return n + ' bytes';
    if (n < 1048576) return (n / 1024).toFixed(1) + ' KB';
    return (n / 1048576).toFixed(1) + ' MB';
  }

  async function api(path, options) {
    let response;
    try {
      response = await fetch(path, options);
    } catch (e) {
      return { status: 0, json: { error: 'check your connection and try again', error_code: 'network' } };
    }
    let json = null;
    try {
      json = await response.json();
    } catch (e) {
      json = {};
    }
    return { status: response.status, json };
  }

  // ---- 1. Choose ----

  /** Colorize can be pressed with a photo chosen and a model on sale. */
  function updateColorize() {
    $('colorize').disabled = !(state.file && state.modelReady);
  }

  /** How the page names the models the server lists; others go by their model_size. */
  const MODEL_NAMES = {
    large: 'Large, best quality',
    tiny: 'Tiny, faster',
    artistic: 'Artistic, fewer colour artefacts',
  };

  /** The chosen colour strength, two decimals at most as the server requires (range steps are floats). */
  function saturation() {
    return Math.round(Number($('saturation').value) * 100) / 100;
  }

  /** Shows the strength and tints the swatch with it: CSS saturate() only approximates the Lab scaling. */
  function showSaturation() {
    const s = saturation();
    $('saturation-value').textContent = s.toFixed(2);
    $('saturation-swatch').style.filter = `saturate(${s})`;
  }

  async function loadInfo() {
    clearTimeout(state.infoTimer);
    const { status: code, json } = await api('api/l402/models');
    if (code !== 200) {
      error('network', 'The list of models could not be loaded', 'reload the page');
      return;
    }
    state.info = json;
    const list = $('model-list');
    const chosen = (document.querySelector('input[name=model]:checked') || {}).value;
    list.textContent = '';
    let firstAvailable = null;
    for (const m of json.models) {
      const row = document.createElement('label');
      row.className = 'model' + (m.available ? '' : ' unavailable');
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = 'model';
      radio.value = m.model_size;
      radio.disabled = !m.available;
      if (m.available && (!firstAvailable || m.model_size === chosen)) firstAvailable = radio;
      const name = document.createElement('span');
      name.textContent = MODEL_NAMES[m.model_size] || m.model_size;
      const price = document.createElement('span');
      price.className = 'price';
      price.textContent = m.available ? `${m.price_sats} sats` : 'not available';
      row.append(radio, name, price);
      list.append(row);
    }
    if (firstAvailable) firstAvailable.checked = true;
    show('models', true);
    // No model on sale (still downloading, or none installed): the page says so in plain words
    // instead of letting visitors choose a photo only to be refused, and looks again later.
    state.modelReady = Boolean(firstAvailable);
    show('no-model', !state.modelReady);
    updateColorize();
    if (!state.modelReady) state.infoTimer = setTimeout(loadInfo, 15000);
    $('limits-hint').textContent =
      `PNG, JPEG, WebP, BMP, GIF or TIFF, up to ${bytes(json.max_image_bytes)} and ${json.max_megapixels} megapixels`
      + (json.price_rule && json.max_megapixels > json.price_rule.photo_extra_megapixels_step
        ? `; the prices are for photos up to ${json.price_rule.photo_extra_megapixels_step} megapixels, larger ones cost more`
        : '');
    show('pay-dev', Boolean(json.development_payments));
  }

  function chooseFile(file) {
    clearError();
    status('');
    state.file = null;
    updateColorize();
    show('preview', false);
    if (!file) return;
    const limits = state.info || { max_image_bytes: 20 * 1048576, max_megapixels: 40 };
    if (file.size === 0) {
      error('invalid_image', 'The file is empty', 'choose another photo');
      return;
    }
    if (file.size > limits.max_image_bytes) {
      error('image_too_large', `The photo is ${bytes(file.size)}, the limit is ${bytes(limits.max_image_bytes)}`,
        'save it as a JPEG or scale it down, then try again');
      return;
    }
    if (file.type && !/^image\/(png|jpe?g|webp|bmp|x-ms-bmp|gif|tiff)$/.test(file.type)) {
      error('unsupported_format', `This is a ${file.type} file`, 'choose a PNG, JPEG, WebP, BMP, GIF or TIFF photo');
      return;
    }
    if (state.previewUrl) URL.revokeObjectURL(state.previewUrl);
    state.previewUrl = URL.createObjectURL(file);
    const img = $('preview-img');
    img.onload = () => {
      const mp = (img.naturalWidth * img.naturalHeight) / 1e6;
      if (mp > limits.max_megapixels) {
        error('image_too_large', `The photo is ${img.naturalWidth}×${img.naturalHeight} (${mp.toFixed(1)} megapixels), ` +
          `the limit is ${limits.max_megapixels} megapixels`, 'scale it down and try again');
        return;
      }
      $('preview-info').textContent = `${file.name} · ${img.naturalWidth}×${img.naturalHeight} · ${bytes(file.size)}`;
      show('preview', true);
      state.file = file;
      updateColorize();
    };
    img.onerror = () => {
      if (/tiff/.test(file.type)) {
        // Browsers cannot show TIFF; the server reads it anyway.
        $('preview-info').textContent = `${file.name} · ${bytes(file.size)} (no preview for TIFF)`;
        state.file = file;
        updateColorize();
        return;
      }
      error('invalid_image', 'This file could not be opened as a photo', 'it may be damaged: choose another one');
    };
    img.src = state.previewUrl;
  }

  function readAsDataUrl(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }

  async function requestInvoice() {
    clearError();
    const model = (document.querySelector('input[name=model]:checked') || {}).value || 'large';
    $('colorize').disabled = true;
    status('Preparing your invoice…');
    if (!state.body) {
      const dataUrl = await readAsDataUrl(state.file);
      const request = { image: dataUrl, model_size: model };
      // Strength 1 is left out: the same purchase as before the slider existed.
      if (saturation() !== 1) request.saturation = saturation();
      state.body = JSON.stringify(request);
    }
    const { status: code, json } = await api('api/l402/colorize-image', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: state.body,
    });
    updateColorize();
    if (code === 402) {
      showInvoice(json);
      return;
    }
    state.body = null;
    if (json.error_code === 'model_unavailable') {
      modelUnavailable(model);
      return;
    }
    error(json.error_code, json.error, json.suggestion);
  }

  /**
   * The chosen model went off sale: the server's own message is for operators and API clients
   * (it names download states and model_size), so visitors get the page's words, with another
   * model suggested only when the refreshed list has one on sale.
   */
  async function modelUnavailable(model) {
    await loadInfo();
    if (!state.modelReady) {
      clearError();
      status('');
      return;
    }
    const now = (document.querySelector('input[name=model]:checked') || {}).value;
    if (now && now !== model) {
      error('model_unavailable', `The ${modelName(model)} model cannot be used at the moment`,
        `the ${modelName(now)} model is selected instead: press Colorize to use it, or try again later. ` +
        'You have not been charged');
    } else {
      error('model_unavailable', 'The server cannot colorize with this model at the moment',
        'please try again in a minute. You have not been charged');
    }
  }

  function modelName(model) {
    return model === 'large' ? 'Large' : model === 'tiny' ? 'Tiny' : model;
  }

  // ---- 2. Pay ----

  /**
   * Why this photo costs more than the list price, from the 402's price_factors: the list shows the
   * price of an ordinary photo, and a very large one (or a larger render) is a whole multiple of it.
   */
  function priceReason(challenge) {
    const f = challenge.price_factors;
    if (!f || f.multiple <= 1) return '';
    const why = [];
    if (f.photo_extra > 0) why.push(`a ${f.megapixels.toFixed(1)}-megapixel photo`);
    if (f.render_extra > 0) why.push(`rendered at ${f.input_size}`);
    return ` · ${f.multiple}× the list price: ${why.join(', ')}`;
  }

  function showInvoice(challenge) {
    state.generation += 1;
    state.macaroon = challenge.macaroon;
    state.invoice = challenge.invoice;
    state.expiresAt = Date.parse(challenge.expires_at);
    state.redeeming = false;
    status('');
    show('step-choose', false);
    show('step-working', false);
    show('step-pay', true);
    show('renew', false);
    const thumb = $('pay-thumb');
    thumb.hidden = !state.previewUrl || /tiff/.test((state.file && state.file.type) || '');
    if (!thumb.hidden) thumb.src = state.previewUrl;
    const strength = saturation() === 1 ? '' : ` · colour ${saturation().toFixed(2)}`;
    $('pay-photo').textContent = state.file ? `${state.file.name} · ${challenge.model_size}${strength}${priceReason(challenge)}` : '';
    show('waiting', true);
    $('amount').textContent = `${challenge.amount_sats} sats`;
    const qr = $('qr');
    qr.onload = () => fitQr(qr);
    qr.src = 'api/l402/qr.svg?invoice=' + encodeURIComponent(challenge.invoice);
    $('qr-link').href = 'lightning:' + challenge.invoice;
    $('pay-open').href = 'lightning:' + challenge.invoice;
    $('invoice').value = challenge.invoice;
    show('pay-webln', typeof window.webln !== 'undefined');
    setPayButtonsEnabled(true);
    tick();
    watchPayment(state.generation);
  }

  /**
   * The SVG is one unit per module (its natural width is the module count). Scale it by a whole
   * number, at least 4, so every module covers whole screen pixels: blurred module edges are what
   * makes desktop webcams and phones fail to read a code.
   */
  function fitQr(img) {
    const modules = img.naturalWidth;
    if (!modules) return;
    const room = Math.min(320, $('step-pay').clientWidth - 48);
    const scale = Math.max(4, Math.floor(room / modules));
    img.style.width = img.style.height = modules * scale + 'px';
  }

  function setPayButtonsEnabled(enabled) {
    $('pay-webln').disabled = !enabled;
    $('pay-dev').disabled = !enabled;
  }

  function tick() {
    const generation = state.generation;
    const left = Math.max(0, Math.round((state.expiresAt - Date.now()) / 1000));
    const countdown = $('countdown');
    if (left <= 0) {
      expired();
      return;
    }
    countdown.classList.remove('expired');
    countdown.textContent = `Expires in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
    setTimeout(() => {
      if (generation === state.generation && !state.redeeming) tick();
    }, 1000);
  }

  function expired() {
    state.generation += 1; // stops the watcher and the countdown
    const countdown = $('countdown');
    countdown.textContent = 'This invoice has expired. Nothing was charged.';
    countdown.classList.add('expired');
    show('waiting', false);
    show('renew', true);
    setPayButtonsEnabled(false);
  }

  /** Long-polls the server until the invoice is paid (by any wallet) or can no longer be. */
  async function watchPayment(generation) {
    while (generation === state.generation && !state.redeeming) {
      const { status: code, json } = await api('api/l402/payment-status?wait=25', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ macaroon: state.macaroon }),
      });
      if (generation !== state.generation || state.redeeming) return;
      if (code === 200 && json.state === 'paid') {
        redeem(json.preimage);
        return;
      }
      if (code === 200 && (json.state === 'expired' || json.state === 'cancelled')) {
        expired();
        return;
      }
      if (code !== 200) await new Promise((r) => setTimeout(r, 2000));
    }
  }

  async function payWithWebln() {
    clearError();
    try {
      await window.webln.enable();
      const result = await window.webln.sendPayment(state.invoice);
      redeem(result.preimage);
    } catch (e) {
      error('payment_failed', (e && e.message) || 'The wallet did not pay', 'try again, or scan the QR code with another wallet');
    }
  }

  async function payWithDevWallet() {
    clearError();
    setPayButtonsEnabled(false);
    const { status: code, json } = await api('api/dev/pay', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ invoice: state.invoice }),
    });
    if (code === 200) {
      redeem(json.preimage);
      return;
    }
    setPayButtonsEnabled(true);
    error(json.error_code, json.error, json.suggestion);
  }

  // ---- 3. Result ----

  async function redeem(preimage) {
    if (state.redeeming) return;
    state.redeeming = true;
    state.lastPreimage = preimage;
    clearError();
    status('');
    setPayButtonsEnabled(false);
    show('step-pay', false);
    show('step-working', true);
    state.workingSince = Date.now();
    elapsed(state.generation);
    const { status: code, json } = await api('api/l402/colorize-image', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `L402 ${state.macaroon}:${preimage}` },
      body: state.body,
    });
    if (code === 200) {
      showResult(json);
      return;
    }
    state.redeeming = false;
    show('step-working', false);
    // Paid already: a retry with the same credential costs nothing.
    error(json.error_code, json.error, json.suggestion, () => redeem(state.lastPreimage));
  }

  /** Counts the seconds since the payment while the photo is colorized. */
  function elapsed(generation) {
    if (generation !== state.generation || !state.redeeming || $('step-working').hidden) return;
    const seconds = Math.floor((Date.now() - state.workingSince) / 1000);
    $('elapsed').textContent = `${seconds} s`;
    setTimeout(() => elapsed(generation), 500);
  }

  function showResult(result) {
    status('');
    show('step-pay', false);
    show('step-working', false);
    show('step-result', true);
    const after = $('after');
    const before = $('before');
    before.src = state.previewUrl;
    after.onload = fitBefore;
    after.src = result.image_url;
    $('download').href = result.image_url;
    const base = (state.file && state.file.name ? state.file.name.replace(/\.[^.]+$/, '') : 'photo');
    $('download').setAttribute('download', `${base}-colorized.png`);
    const until = new Date(result.expires_at);
    $('expiry').textContent = `The download link works until ${until.toLocaleString()}. Save the photo before then.`;
    $('slider').value = 50;
    slide();
  }

  /** Back from paying to choosing: this invoice is simply left unpaid, nothing is charged. */
  function back() {
    state.generation += 1;
    state.body = null;
    state.macaroon = null;
    state.invoice = null;
    clearError();
    show('step-pay', false);
    show('step-choose', true);
    updateColorize();
  }

  function fitBefore() {
    $('before').style.width = $('compare').clientWidth + 'px';
  }

  function slide() {
    $('before-wrap').style.width = $('slider').value + '%';
    $('handle').style.left = $('slider').value + '%';
  }

  function reset() {
    state.generation += 1;
    state.body = null;
    state.macaroon = null;
    state.invoice = null;
    state.redeeming = false;
    clearError();
    status('');
    show('step-result', false);
    show('step-working', false);
    show('step-pay', false);
    show('step-choose', true);
    $('file').value = '';
    chooseFile(null);
  }

  // ---- Wiring ----

  document.addEventListener('DOMContentLoaded', () => {
    const drop = $('drop');
    // A file dropped anywhere else would make the browser leave the page for it.
    window.addEventListener('dragover', (e) => e.preventDefault());
    window.addEventListener('drop', (e) => e.preventDefault());
    $('file').addEventListener('change', (e) => chooseFile(e.target.files[0]));
    drop.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      if (e.dataTransfer.files.length) chooseFile(e.dataTransfer.files[0]);
    });
    $('model-list').addEventListener('change', () => {
      state.body = null;
    });
    $('saturation').addEventListener('input', () => {
      showSaturation();
      // A body made for another strength would buy the wrong picture.
      state.body = null;
    });
    showSaturation();
    $('colorize').addEventListener('click', requestInvoice);
    $('renew').addEventListener('click', requestInvoice);
    $('pay-webln').addEventListener('click', payWithWebln);
    $('pay-dev').addEventListener('click', payWithDevWallet);
    $('copy').addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(state.invoice);
        $('copy').textContent = 'Copied';
      } catch (e) {
        $('invoice').select();
      }
      setTimeout(() => ($('copy').textContent = 'Copy'), 1500);
    });
    $('slider').addEventListener('input', slide);
    window.addEventListener('resize', () => {
      fitBefore();
      if (!$('step-pay').hidden) fitQr($('qr'));
    });
    $('again').addEventListener('click', reset);
    $('back').addEventListener('click', back);
    loadInfo();
  });
})();
