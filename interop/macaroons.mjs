// Reads JSON from stdin and checks Chroma402's macaroons with js-macaroon (go-macaroon's JavaScript
// twin): each given macaroon (base64, or inside a WWW-Authenticate challenge) must import from its v2
// binary form and verify with its root key; then
// mints macaroons with js-macaroon for Chroma402 to verify in turn. Prints JSON on stdout.
import { readFileSync } from 'node:fs';
import macaroon from 'macaroon';

const input = JSON.parse(readFileSync(0, 'utf8'));
const hex = (b) => Buffer.from(b).toString('hex');
const fromHex = (h) => Uint8Array.from(Buffer.from(h, 'hex'));

// A challenge in the 2026 L402 form carries the macaroon as token="…" (older ones as macaroon="…").
const tokenOf = (challenge) => /(?:token|macaroon)="([^"]+)"/.exec(challenge)[1];

const checked = input.verify.map((v) => {
  const m = macaroon.importMacaroon(v.challenge ? tokenOf(v.challenge) : v.base64);
  let verified = true;
  let error = null;
  try {
    // Every first-party caveat is accepted here: this checks the signature chain.
    m.verify(fromHex(v.root_key), () => null);
  } catch (e) {
    verified = false;
    error = e.message;
  }
  return {
    identifier: hex(m.identifier),
    location: m.location || '',
    caveats: m.caveats.map((c) => Buffer.from(c.identifier).toString('utf8')),
    signature: hex(m.signature),
    verified,
    error,
  };
});

const minted = input.mint.map((v) => {
  const m = macaroon.newMacaroon({
    identifier: fromHex(v.identifier),
    location: v.location,
    rootKey: fromHex(v.root_key),
    version: 2,
  });
  for (const c of v.caveats) m.addFirstPartyCaveat(c);
  return { base64: Buffer.from(m.exportBinary()).toString('base64') };
});

process.stdout.write(JSON.stringify({ checked, minted }));
