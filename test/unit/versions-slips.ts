/**
 * Real slips in the config files upstream vzctl shipped (../shared/corpus/versions): findings that
 * are true for the file's own version and must still be reported. The versions corpus test
 * (versions-corpus.test.ts) allows exactly these errors and warnings on shipped files and fails when
 * one is no longer reported or its line no longer holds the slip. Each entry says why it is real.
 */
export interface Slip {
  /** The stored file, relative to ../shared/corpus/versions. */
  file: string;
  /** 1-based line. */
  line: number;
  rule: string;
  /** What the line still says. */
  text: RegExp;
  why: string;
}

const pleskInodes = (file: string, line: number): Slip => ({
  file,
  line,
  rule: 'barrier-above-limit',
  text: /^DISKINODES="3500000:370000"$/,
  why: 'soft inode limit 3500000 above the hard 370000 (the x86_64 copy has 350000: a zero too many); vzquota refuses soft > hard',
});

/** KMEMSIZE="1200742.4" in the x86_64 ve-light sample: vzctl before 3.0.28 reads no fraction and skips the line. */
const fractionKmem = (file: string, line: number, ubcLine: number): Slip[] => [
  { file, line, rule: 'invalid-value', text: /^KMEMSIZE="\d+:1200742\.4"$/, why: 'a fraction, which parse_twoul/parse_twoul_sfx before vzctl 3.0.28 refuse (src/lib/config.c): the line is skipped' },
  { file, line: ubcLine, rule: 'ubc-required', text: /^/, why: 'with KMEMSIZE skipped, vzctl start misses a required UBC (check_ub)' },
];

/** vSwap samples shipped in 3.0.28.3, before vzctl/vzcfgvalidate had a vSwap mode (3.0.30): the non-vSwap checks apply. */
const earlyVswap = (size: string): Slip => ({
  file: `classic@3.0.28.3/etc/conf/ve-vswap-${size}.conf-sample`,
  line: 24,
  rule: 'ubc-kmemsize',
  text: /^KMEMSIZE=/,
  why: 'NUMPROC is unlimited, so vzcfgvalidate 3.0.28.3 (src/validate.c, no vSwap mode yet) wants KMEMSIZE ≥ 40 KiB × avnumproc',
});

/** The same vSwap samples in 3.0.29.x: NUMFILE unlimited, so the non-vSwap DCACHESIZE check of vzcfgvalidate warns. */
const earlyVswapDcache = (size: string): Slip => ({
  file: `classic@3.0.29.1/etc/conf/ve-vswap-${size}.conf-sample`,
  line: 25,
  rule: 'ubc-dcachesize',
  text: /^DCACHESIZE=/,
  why: 'NUMFILE is unlimited, so vzcfgvalidate 3.0.29.x (no vSwap mode until 3.0.30) wants DCACHESIZE ≥ 384 bytes × NUMFILE',
});

export const SLIPS: readonly Slip[] = [
  earlyVswapDcache('1024m'),
  earlyVswapDcache('256m'),
  earlyVswapDcache('512m'),
  ...fractionKmem('classic@2.7.0-23/etc/ve-light.conf-sample.x86_64', 24, 18),
  ...fractionKmem('classic@3.0.0-5/etc/ve-light.conf-sample.x86_64', 31, 25),
  ...fractionKmem('classic@3.0.9-1/etc/ve-light.conf-sample.x86_64', 30, 24),
  earlyVswap('1024m'),
  earlyVswap('256m'),
  earlyVswap('512m'),
  pleskInodes('vz7@7.0.35/etc/ve-vps.plesk.conf-sample', 39),
  pleskInodes('vz7@7.0.143/etc/ve-vps.plesk.conf-sample', 39),
  pleskInodes('vz7@7.0.170/etc/ve-vps.plesk.conf-sample', 39),
  pleskInodes('vz7@7.0.202/etc/ve-vps.plesk.conf-sample', 40),
  pleskInodes('vz7@7.0.230/etc/ve-vps.plesk.conf-sample', 40),
  {
    file: 'classic@3.0.11-3/etc/ve-light.conf-sample',
    line: 31,
    rule: 'ubc-othersockbuf-gap',
    text: /^OTHERSOCKBUF="135168:196608"$/,
    why: 'limit − barrier is 60 KiB, below 2.5 KiB × NUMOTHERSOCK 40; vzcfgvalidate 3.0.11 (src/validate.c) reports it as an error',
  },
];
