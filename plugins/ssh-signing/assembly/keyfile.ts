// The OpenSSH private key format (openssh-key-v1, PROTOCOL.key) as ssh-keygen
// writes it: the armor, the header (cipher, KDF, the public key in clear),
// the private section (decrypted with bcrypt_pbkdf and AES-CTR when the key
// is protected), and the one key in it: Ed25519, ECDSA P-256/P-384 or RSA.
// Every number is checked against the public key and by the host's crypto
// before the key is accepted, so a damaged or mismatched file is refused at
// import, not on an agent's call later.

import { Base64, Crypto, Hash, RsaPrivateKey, utf8 } from '../../sdk/assembly';
import { bcryptPbkdf } from './bcrypt-pbkdf';
import { bitLength, isOne, minusOne, mod, multiply } from './bignum';
import { fail } from './errors';
import { SshKey, KIND_ECDSA, KIND_ED25519, KIND_RSA, curveOf } from './ssh-key';
import { WireReader, WireWriter, sameBytes, wipe } from './wire';

const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';
/** "openssh-key-v1" and its terminating NUL. */
const MAGIC = 'openssh-key-v1';
/** ssh-keygen's default is 16 (-a); far more would outlast the import's time limit. */
export const MAX_ROUNDS: i64 = 256;
const RSA_MIN_BITS: i32 = 2048;
const RSA_MAX_BITS: i32 = 8192;

/** What the key file's armor and header say, before any decryption. */
class Container {
  cipher: string = '';
  kdf: string = '';
  salt: Uint8Array = new Uint8Array(0);
  rounds: i64 = 0;
  publicBlob: Uint8Array = new Uint8Array(0);
  encrypted: Uint8Array = new Uint8Array(0);
}

function isSpace(c: i32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d;
}

/** The armor's base64 body, decoded; a precise error for the usual wrong pastes. */
function dearmor(text: string): Uint8Array | null {
  const begin = text.indexOf(BEGIN);
  if (begin < 0) {
    const trimmed = text.trim();
    if (trimmed.startsWith('ssh-') || trimmed.startsWith('ecdsa-')) {
      fail('This is a public key: paste the private key file (for example ~/.ssh/id_ed25519)');
    } else if (trimmed.indexOf('-----BEGIN ') >= 0 && trimmed.indexOf('PRIVATE KEY-----') > 0) {
      fail(
        'This is a PEM private key, not the OpenSSH format: rewrite it with `ssh-keygen -p -f FILE` (which saves it in the OpenSSH format) and paste it again',
      );
    } else {
      fail('Paste an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----)');
    }
    return null;
  }
  const end = text.indexOf(END, begin + BEGIN.length);
  if (end < 0) {
    fail('The key ends before its -----END OPENSSH PRIVATE KEY----- line');
    return null;
  }
  let body = '';
  for (let i = begin + BEGIN.length; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isSpace(c)) body += String.fromCharCode(c);
  }
  const bytes = Base64.decode(body);
  if (bytes == null) fail('The key is not valid base64 between its BEGIN and END lines');
  return bytes;
}

function readContainer(data: Uint8Array): Container | null {
  const magic = utf8(MAGIC);
  if (
    data.length <= magic.length ||
    !sameBytes(data.subarray(0, magic.length), magic) ||
    data[magic.length] != 0
  ) {
    fail('The key does not start with openssh-key-v1: it is not an OpenSSH private key');
    return null;
  }
  const reader = new WireReader(data.subarray(magic.length + 1), 'The key file');
  const container = new Container();
  const cipher = reader.text();
  const kdf = reader.text();
  const options = reader.string();
  const count = reader.u32();
  if (cipher == null || kdf == null || options == null || count < 0) return null;
  container.cipher = cipher;
  container.kdf = kdf;
  if (count != 1) {
    fail('The key file holds ' + count.toString() + ' keys; OpenSSH key files hold one');
    return null;
  }
  const publicBlob = reader.string();
  const encrypted = reader.string();
  if (publicBlob == null || encrypted == null) return null;
  container.publicBlob = publicBlob;
  container.encrypted = encrypted;
  if (kdf == 'bcrypt') {
    const kdfReader = new WireReader(options, 'The key’s bcrypt options');
    const salt = kdfReader.string();
    const rounds = kdfReader.u32();
    if (salt == null || rounds < 0) return null;
    container.salt = salt;
    container.rounds = rounds;
  } else if (kdf != 'none') {
    fail(
      'The key is protected with the KDF "' +
        printable(kdf) +
        '", which is not supported (bcrypt is)',
    );
    return null;
  }
  return container;
}

/** Names from a file are echoed only as short printable ASCII. */
function printable(text: string): string {
  let out = '';
  for (let i = 0; i < text.length && i < 40; i++) {
    const c = text.charCodeAt(i);
    out += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return out;
}

function aesKeyLength(cipher: string): i32 {
  if (cipher == 'aes256-ctr') return 32;
  if (cipher == 'aes192-ctr') return 24;
  if (cipher == 'aes128-ctr') return 16;
  return 0;
}

/** The private section in clear: decrypted when the key is protected. */
function privateSection(container: Container, passphrase: string): Uint8Array | null {
  if (container.cipher == 'none') {
    if (container.kdf != 'none') {
      fail('The key file names a KDF but no cipher: it is damaged');
      return null;
    }
    if (container.encrypted.length % 8 != 0) {
      fail('The key’s private section is not padded to whole blocks: it is damaged');
      return null;
    }
    return container.encrypted;
  }
  const keyLength = aesKeyLength(container.cipher);
  if (keyLength == 0) {
    fail(
      'The key is encrypted with "' +
        printable(container.cipher) +
        '", which is not supported: re-protect it with `ssh-keygen -p -Z aes256-ctr -f FILE`',
    );
    return null;
  }
  if (container.kdf != 'bcrypt') {
    fail('The key is encrypted but names no bcrypt KDF: it is damaged');
    return null;
  }
  if (passphrase.length == 0) {
    fail('This key is protected: enter its passphrase');
    return null;
  }
  if (container.rounds < 1 || container.rounds > MAX_ROUNDS) {
    fail(
      'The key’s bcrypt rounds (' +
        container.rounds.toString() +
        ') are outside 1 to ' +
        MAX_ROUNDS.toString() +
        ': re-protect it with `ssh-keygen -p -a 16 -f FILE`',
    );
    return null;
  }
  if (container.salt.length == 0 || container.salt.length > 1024) {
    fail('The key’s bcrypt salt is missing or too long: it is damaged');
    return null;
  }
  if (container.encrypted.length % 16 != 0) {
    fail('The key’s encrypted section is not whole AES blocks: it is damaged');
    return null;
  }
  const secret = utf8(passphrase);
  const derived = bcryptPbkdf(secret, container.salt, <i32>container.rounds, keyLength + 16);
  wipe(secret);
  if (derived == null) return null;
  const key = derived.slice(0, keyLength);
  const iv = derived.slice(keyLength);
  wipe(derived);
  const clear = Crypto.aesDecrypt('ctr', key, iv, container.encrypted);
  wipe(key);
  if (!clear.ok) {
    fail('The host could not decrypt the key: ' + clear.error);
    return null;
  }
  return clear.bytes;
}

/** Reads the one private key and its comment; checks it against the public key in the header. */
function readPrivateKey(section: Uint8Array, container: Container): SshKey | null {
  const reader = new WireReader(section, 'The key’s private section');
  const check1 = reader.u32();
  const check2 = reader.u32();
  if (check1 < 0 || check2 < 0) return null;
  if (check1 != check2) {
    fail(
      container.cipher == 'none'
        ? 'The key’s private section is damaged (its check numbers differ)'
        : 'Wrong passphrase for this key',
    );
    return null;
  }
  const type = reader.text();
  if (type == null) return null;
  let key: SshKey | null = null;
  if (type == 'ssh-ed25519') key = readEd25519(reader);
  else if (type == 'ecdsa-sha2-nistp256' || type == 'ecdsa-sha2-nistp384')
    key = readEcdsa(reader, type);
  else if (type == 'ssh-rsa') key = readRsa(reader);
  else if (type == 'ecdsa-sha2-nistp521')
    fail('ECDSA P-521 keys are not supported: Ed25519, ECDSA P-256/P-384 and RSA are');
  else if (type.startsWith('sk-'))
    fail('Security-key (FIDO) SSH keys live on the hardware key and cannot be stored here');
  else
    fail(
      'The key type "' +
        printable(type) +
        '" is not supported: Ed25519, ECDSA P-256/P-384 and RSA are',
    );
  if (key == null) return null;
  const comment = reader.text();
  if (comment == null) return null;
  key.comment = comment;
  // The padding is 1, 2, 3, ...: anything else means the decryption or the file went wrong.
  const padding = reader.remaining;
  for (let i = 0; i < padding; i++) {
    if (section[reader.offset + i] != <u8>(i + 1)) {
      fail('The key’s private section is damaged (its padding is wrong)');
      return null;
    }
  }
  if (!sameBytes(key.publicBlob, container.publicBlob)) {
    fail('The key’s private part does not match the public key in its header');
    return null;
  }
  return key;
}

function readEd25519(reader: WireReader): SshKey | null {
  const publicKey = reader.string();
  const secret = reader.string();
  if (publicKey == null || secret == null) return null;
  if (publicKey.length != 32 || secret.length != 64 || !sameBytes(secret.subarray(32), publicKey)) {
    fail('The Ed25519 key is damaged (its lengths or halves do not agree)');
    return null;
  }
  const seed = secret.slice(0, 32);
  const derived = Crypto.ed25519PublicKey(seed);
  if (!derived.ok || !sameBytes(derived.bytes, publicKey)) {
    wipe(seed);
    fail('The Ed25519 private key does not belong to its public key');
    return null;
  }
  const key = new SshKey(KIND_ED25519, 'ssh-ed25519', 256);
  key.publicBlob = new WireWriter().text('ssh-ed25519').string(publicKey).finish();
  key.jwk =
    '{"kty":"OKP","crv":"Ed25519","d":"' +
    Base64.encodeUrl(seed) +
    '","x":"' +
    Base64.encodeUrl(publicKey) +
    '"}';
  wipe(seed);
  return key;
}

/** A field element left-padded with zeros to `size` octets; null if longer. */
function fixed(value: Uint8Array, size: i32): Uint8Array | null {
  if (value.length > size) return null;
  const out = new Uint8Array(size);
  out.set(value, size - value.length);
  return out;
}

function readEcdsa(reader: WireReader, type: string): SshKey | null {
  const curveName = reader.text();
  const point = reader.string();
  const d = reader.mpint();
  if (curveName == null || point == null || d == null) return null;
  const curve = curveOf(type);
  if (curveName != curve.sshName) {
    fail('The ECDSA key names the curve "' + printable(curveName) + '" for type ' + type);
    return null;
  }
  const size = curve.size;
  if (point.length != 1 + 2 * size || point[0] != 4) {
    fail('The ECDSA public point is not an uncompressed point of ' + curve.jwkName);
    return null;
  }
  const scalar = fixed(d, size);
  if (scalar == null) {
    fail('The ECDSA private number is longer than the curve allows');
    return null;
  }
  const x = point.slice(1, 1 + size);
  const y = point.slice(1 + size);
  const derived = Crypto.ecdsaPublicKey(curve.hostName, scalar);
  if (!derived.ok || !sameBytes(derived.x, x) || !sameBytes(derived.y, y)) {
    wipe(scalar);
    fail('The ECDSA private key does not belong to its public key');
    return null;
  }
  const key = new SshKey(KIND_ECDSA, type, size * 8);
  key.publicBlob = new WireWriter().text(type).text(curve.sshName).string(point).finish();
  key.jwk =
    '{"kty":"EC","crv":"' +
    curve.jwkName +
    '","d":"' +
    Base64.encodeUrl(scalar) +
    '","x":"' +
    Base64.encodeUrl(x) +
    '","y":"' +
    Base64.encodeUrl(y) +
    '"}';
  wipe(scalar);
  return key;
}

function readRsa(reader: WireReader): SshKey | null {
  const n = reader.mpint();
  const e = reader.mpint();
  const d = reader.mpint();
  const iqmp = reader.mpint();
  const p = reader.mpint();
  const q = reader.mpint();
  if (n == null || e == null || d == null || iqmp == null || p == null || q == null) return null;
  const bits = bitLength(n);
  if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
    fail(
      'RSA keys of ' +
        RSA_MIN_BITS.toString() +
        ' to ' +
        RSA_MAX_BITS.toString() +
        ' bits are supported; this one has ' +
        bits.toString(),
    );
    return null;
  }
  if (bitLength(p) < 2 || bitLength(q) < 2 || bitLength(e) == 0 || bitLength(d) == 0) {
    fail('The RSA key is damaged (a number in it is zero)');
    return null;
  }
  // The host refuses numbers that do not form one key (n = pq, ed = 1 mod lambda):
  // a trial signature is the check, made once here.
  const trial = Crypto.rsaSign(
    'pkcs1',
    Hash.SHA512,
    new RsaPrivateKey(n, e, d, p, q),
    utf8('ssh-signing import check'),
  );
  if (!trial.ok) {
    fail('The RSA private key is damaged: its numbers do not form one key');
    return null;
  }
  // The host takes qi from the JWK as it is; a wrong one would make faulty
  // signatures, which can give the factors away. So it must be q^-1 mod p.
  if (!isOne(mod(multiply(q, iqmp), p))) {
    fail('The RSA key is damaged: its CRT coefficient does not match p and q');
    return null;
  }
  const key = new SshKey(KIND_RSA, 'ssh-rsa', bits);
  key.publicBlob = new WireWriter().text('ssh-rsa').mpint(e).mpint(n).finish();
  const dp = mod(d, minusOne(p));
  const dq = mod(d, minusOne(q));
  key.jwk =
    '{"kty":"RSA","n":"' +
    Base64.encodeUrl(n) +
    '","e":"' +
    Base64.encodeUrl(e) +
    '","d":"' +
    Base64.encodeUrl(d) +
    '","p":"' +
    Base64.encodeUrl(p) +
    '","q":"' +
    Base64.encodeUrl(q) +
    '","dp":"' +
    Base64.encodeUrl(dp) +
    '","dq":"' +
    Base64.encodeUrl(dq) +
    '","qi":"' +
    Base64.encodeUrl(iqmp) +
    '"}';
  wipe(dp);
  wipe(dq);
  return key;
}

/** The key in a pasted private key file; null with the reason recorded. */
export function readKeyFile(text: string, passphrase: string): SshKey | null {
  const data = dearmor(text);
  if (data == null) return null;
  const container = readContainer(data);
  if (container == null) return null;
  const section = privateSection(container, passphrase);
  if (section == null) return null;
  const key = readPrivateKey(section, container);
  if (section !== container.encrypted) wipe(section);
  wipe(data);
  if (key != null) key.isProtected = container.cipher != 'none';
  return key;
}
