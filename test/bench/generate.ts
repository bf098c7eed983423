/**
 * Generated bench inputs: realistic container configs (vSwap and UBC, with the typical mistakes of
 * real ones), large documents with a finding every ten lines, the worst case (every line repeats one
 * key), Dockerfiles of the same shape for the LSP peer, and a whole node of containers on disk.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A vSwap container config as vzctl 4.x writes it; `mistake` adds one typical slip (0 = none). */
export function vswapConfig(ctid: number, mistake: number): string {
  const ram = [256, 512, 1024, 2048][ctid % 4];
  const lines = [
    `# Container ${ctid}`,
    'ONBOOT="yes"',
    `PHYSPAGES="0:${ram}M"`,
    `SWAPPAGES="0:${ram}M"`,
    `DISKSPACE="${ram * 8}M:${Math.round(ram * 8.8)}M"`,
    'DISKINODES="262144:288358"',
    'QUOTATIME="0"',
    'CPUUNITS="1000"',
    'NETFILTER="stateless"',
    'VE_ROOT="/vz/root/$VEID"',
    'VE_PRIVATE="/vz/private/$VEID"',
    'VE_LAYOUT="ploop"', // vzctl create writes it since 4.9.4, vzctl start adds it when missing
    'OSTEMPLATE="centos-6-x86_64"',
    `ORIGIN_SAMPLE="vswap-${ram}m"`,
    `HOSTNAME="ct${ctid}.example.com"`,
    `IP_ADDRESS="10.${(ctid >> 16) & 255}.${(ctid >> 8) & 255}.${ctid & 255}"`,
    'NAMESERVER="192.0.2.53"',
  ];
  switch (mistake % 6) {
    case 1: lines.push('ONBOT="yes"'); break; // typo: unknown-parameter
    case 2: lines.push(`DESCRIPTION=web server ${ctid}`); break; // unquoted whitespace: breaks sourcing
    case 3: lines.push('NUMPROC="240:240"'); break; // UBC limit in a vSwap container
    case 4: lines.push(`HOSTNAME="www${ctid}.example.com"`); break; // duplicate
    case 5: lines[15] = `IP_ADDRESS="10.0.0.${ctid % 4}"`; break; // an address another container has too
    default: break;
  }
  return `${lines.join('\n')}\n`;
}

/** A UBC-mode container config (vzctl 3.x sample style); `mistake` adds one typical slip (0 = none). */
export function ubcConfig(ctid: number, mistake: number): string {
  const lines = [
    `# Container ${ctid} (UBC)`,
    'ONBOOT="yes"',
    'KMEMSIZE="14372700:14790164"',
    'LOCKEDPAGES="256:256"',
    'PRIVVMPAGES="65536:69632"',
    'SHMPAGES="21504:21504"',
    'NUMPROC="240:240"',
    'PHYSPAGES="0:unlimited"',
    'VMGUARPAGES="33792:unlimited"',
    'OOMGUARPAGES="26112:unlimited"',
    'NUMTCPSOCK="360:360"',
    'NUMFLOCK="188:206"',
    'NUMPTY="16:16"',
    'NUMSIGINFO="256:256"',
    'TCPSNDBUF="1720320:2703360"',
    'TCPRCVBUF="1720320:2703360"',
    'OTHERSOCKBUF="1126080:2097152"',
    'DGRAMRCVBUF="262144:262144"',
    'NUMOTHERSOCK="360:360"',
    'DCACHESIZE="3409920:3624960"',
    'NUMFILE="9312:9312"',
    'NUMIPTENT="128:128"',
    'DISKSPACE="2097152:2306867"',
    'DISKINODES="400000:440000"',
    'QUOTATIME="0"',
    'CPUUNITS="1000"',
    'VE_ROOT="/vz/root/$VEID"',
    'VE_PRIVATE="/vz/private/$VEID"',
    'OSTEMPLATE="centos-5-x86"',
    'ORIGIN_SAMPLE="basic"',
    `HOSTNAME="ubc${ctid}.example.com"`,
    `IP_ADDRESS="10.${(ctid >> 16) & 255}.${(ctid >> 8) & 255}.${ctid & 255}"`,
  ];
  switch (mistake % 5) {
    case 1: lines[2] = 'KMEMSIZE="300331648:150331648"'; break; // barrier above limit
    case 2: lines.push('IPTABLES="ipt_REJECT iptable_filter iptable_nat"'); break; // deprecated
    case 3: lines.push('CAPABILITY="chown:on sys_rawio:on netadmin:on"'); break; // unknown capability
    case 4: lines.push('QUOTAUGIDLIMIT=100 # user quota'); break; // inline comment
    default: break;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A config of `n` lines with one finding every ten lines: a clean vSwap container header, then blocks
 * of ten lines (comments, commented-out settings, a blank) each with one custom key unknown-parameter
 * reports.
 */
export function largeConfig(n: number): string {
  const out = vswapConfig(100, 0).trimEnd().split('\n');
  for (let i = 0; out.length < n; i += 1) {
    out.push(
      `# --- block ${i}: settings kept by the provisioning tool ---`,
      `#KMEMSIZE="${14372700 + i}:${14790164 + i}"`,
      `#DESCRIPTION="old value ${i}"`,
      '',
      `PROVISION_TOOL_KEY_${i}="value ${i}"`,
      `# owner: team ${i % 17}, ticket ${1000 + i}`,
      '#NUMPROC="240:240"',
      '',
      `# see https://example.com/ct/${i}`,
      '#ONBOOT="no"',
    );
  }
  return `${out.slice(0, n).join('\n')}\n`;
}

/** The worst case of the same size: every line repeats one key (each after the first is a duplicate). */
export function repeatedKeyConfig(n: number): string {
  return 'HOSTNAME="ct.example.com"\n'.repeat(n);
}

/** A Dockerfile of `n` lines with one finding every ten lines (a deprecated MAINTAINER instruction). */
export function dockerfile(n: number): string {
  const out = ['FROM debian:12'];
  for (let i = 0; out.length < n; i += 1) {
    out.push(
      `# block ${i}`,
      `RUN echo step ${i} > /tmp/step-${i}`,
      `ENV STEP_${i}=value${i}`,
      '',
      'MAINTAINER someone@example.com',
      `LABEL block${i}="value ${i}"`,
      `COPY file-${i}.txt /opt/file-${i}.txt`,
      '',
      `WORKDIR /opt/work-${i % 17}`,
      `EXPOSE ${1024 + (i % 1000)}`,
    );
  }
  return `${out.slice(0, n).join('\n')}\n`;
}

/**
 * Writes a node of `count` containers under `dir`: `etc/vz/vz.conf` and `etc/vz/conf/CTID.conf`
 * (vSwap and UBC mixed, about one in three with a mistake).
 *
 * @returns the `etc/vz` folder and the bytes written
 */
export function writeNode(dir: string, count: number): { root: string; bytes: number } {
  const root = path.join(dir, 'etc', 'vz');
  mkdirSync(path.join(root, 'conf'), { recursive: true });
  let bytes = 0;
  const vz = 'VIRTUOZZO=yes\nLOCKDIR=/vz/lock\nDUMPDIR=/vz/dump\nVE0CPUUNITS=1000\nLOGGING=yes\nLOGFILE=/var/log/vzctl.log\nLOG_LEVEL=0\nVERBOSE=0\nDISK_QUOTA=yes\nTEMPLATE=/vz/template\nVE_ROOT=/vz/root/$VEID\nVE_PRIVATE=/vz/private/$VEID\nCONFIGFILE="vswap-1g"\nDEF_OSTEMPLATE="centos-6-x86_64"\nVE_LAYOUT=ploop\nIPV6="yes"\n';
  writeFileSync(path.join(root, 'vz.conf'), vz);
  bytes += vz.length;
  for (let i = 0; i < count; i += 1) {
    const ctid = 100 + i;
    const mistake = i % 3 === 0 ? (i / 3) % 30 : 0;
    const text = i % 4 === 3 ? ubcConfig(ctid, mistake) : vswapConfig(ctid, mistake);
    writeFileSync(path.join(root, 'conf', `${ctid}.conf`), text);
    bytes += text.length;
  }
  return { root, bytes };
}
