// Decodes invoices with the bolt11 npm package (bitcoinjs) and prints what it read, so Chroma402
// can compare: network prefix, amount, payment hash, expiry, description and the payee recovered
// from the signature.
import { readFileSync } from 'node:fs';
import bolt11 from 'bolt11';

const networks = {
  lnbcrt: { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] },
};
const invoices = JSON.parse(readFileSync(0, 'utf8'));
const out = invoices.map((invoice) => {
  const prefix = invoice.match(/^ln[a-z]+?(?=\d|1)/)[0];
  const decoded = bolt11.decode(invoice, networks[prefix]);
  const tag = (name) => (decoded.tags.find((t) => t.tagName === name) || {}).data;
  return {
    prefix: decoded.prefix,
    millisatoshis: decoded.millisatoshis,
    timestamp: decoded.timestamp,
    payment_hash: tag('payment_hash'),
    description: tag('description'),
    expire_time: tag('expire_time'),
    payee: decoded.payeeNodeKey,
    complete: decoded.complete,
  };
});
process.stdout.write(JSON.stringify(out));
