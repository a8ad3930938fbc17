// Runs Alby's NIP-47 wallet service (NWCWalletService from @getalby/sdk, on nostr-tools) against a
// loopback relay, in front of a tiny in-memory wallet that signs real BOLT11 invoices with the
// bolt11 package. Chroma402's NWC backend is then checked against a wallet implementation nobody
// here wrote: its signed, NIP-44-encrypted requests must be accepted and its replies understood.
//
// Usage: node nwc-wallet-service.mjs <relay url> <wallet secret hex> <client pubkey hex>
// Prints "ready" once subscribed; reads "settle <payment hash>" lines on stdin.
import { createHash, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

// Node 20 has no global WebSocket; nostr-tools (inside the SDK) picks it up at import time.
globalThis.WebSocket ??= WebSocket;
const { NWCWalletService, NWCWalletServiceKeyPair } = await import('@getalby/sdk/nwc');
const { default: bolt11 } = await import('bolt11');

const [relayUrl, walletSecret, clientPubkey] = process.argv.slice(2);
const nodeKey = randomBytes(32).toString('hex');
const regtest = { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] };
const invoices = new Map();
const now = () => Math.floor(Date.now() / 1000);

function transaction(i) {
  return {
    type: 'incoming',
    state: i.settledAt ? 'settled' : 'pending',
    invoice: i.invoice,
    description: i.description,
    description_hash: '',
    preimage: i.settledAt ? i.preimage : '',
    payment_hash: i.paymentHash,
    amount: i.amount,
    fees_paid: 0,
    settled_at: i.settledAt || 0,
    created_at: i.createdAt,
    expires_at: i.createdAt + i.expiry,
  };
}

const handler = {
  async makeInvoice(request) {
    const preimage = randomBytes(32).toString('hex');
    const paymentHash = createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex');
    const createdAt = now();
    const expiry = request.expiry || 86400;
    const tags = [
      { tagName: 'payment_hash', data: paymentHash },
      { tagName: 'payment_secret', data: randomBytes(32).toString('hex') },
      { tagName: 'expire_time', data: expiry },
    ];
    if (request.description_hash) {
      tags.push({ tagName: 'purpose_commit_hash', data: request.description_hash });
    } else {
      tags.push({ tagName: 'description', data: request.description || '' });
    }
    const unsigned = bolt11.encode({ network: regtest, millisatoshis: String(request.amount), timestamp: createdAt, tags });
    const invoice = bolt11.sign(unsigned, nodeKey).paymentRequest;
    const entry = { invoice, preimage, paymentHash, amount: request.amount, description: request.description || '', createdAt, expiry };
    invoices.set(paymentHash, entry);
    return { result: transaction(entry), error: undefined };
  },
  async lookupInvoice(request) {
    const entry = invoices.get(request.payment_hash);
    if (!entry) {
      return { result: undefined, error: { code: 'NOT_FOUND', message: 'invoice not found' } };
    }
    return { result: transaction(entry), error: undefined };
  },
};

const service = new NWCWalletService({ relayUrls: [relayUrl] });
const keypair = new NWCWalletServiceKeyPair(walletSecret, clientPubkey);
await service.publishWalletServiceInfoEvent(walletSecret, ['make_invoice', 'lookup_invoice'], []);
await service.subscribe(keypair, handler);
process.stdout.write('ready\n');

createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, hash] = line.trim().split(/\s+/);
  if (command === 'settle' && invoices.has(hash)) {
    invoices.get(hash).settledAt = now();
    process.stdout.write(`settled ${hash}\n`);
  }
}).on('close', () => {
  service.close();
  process.exit(0);
});
