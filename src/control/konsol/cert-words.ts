/** The certificate page's words, Indonesian first and English by choice. */
import type { Lang } from './konsol-i18n.js';

export const CERT_WORDS = {
  id: {
    nav: 'Sertifikat',
    title: 'Sertifikat HTTPS',
    none: 'Belum ada sertifikat yang dapat Anda lihat.',
    host: 'Nama host',
    names: 'Nama dalam sertifikat',
    issuer: 'Penerbit',
    expires: 'Berlaku sampai',
    daysLeft: '{n} hari lagi',
    source: 'Sumber',
    sourceAcme: 'ACME (otomatis)',
    sourceUploaded: 'Diunggah',
    sourceNone: 'Belum ada (sedang dipesan)',
    lastError: 'Kesalahan terakhir',
    renew: 'Perbarui sekarang',
    renewLabel: 'Perbarui sertifikat {host} sekarang',
    renewOrdered: 'Pemesanan sertifikat baru untuk {host} dimulai. Halaman ini menampilkan hasilnya.',
    uploadTitle: 'Unggah sertifikat',
    uploadNote:
      'Sertifikat (PEM, sertifikat utama lebih dulu lalu penerbitnya) dan kunci privatnya. Diperiksa sebelum disimpan.',
    uploadHost: 'Nama host',
    uploadCertificate: 'Sertifikat (PEM)',
    uploadKey: 'Kunci privat (PEM)',
    uploadButton: 'Unggah',
    uploaded: 'Sertifikat {host} tersimpan dan langsung dipakai.',
  },
  en: {
    nav: 'Certificates',
    title: 'HTTPS certificates',
    none: 'No certificate you may see yet.',
    host: 'Host name',
    names: 'Names in the certificate',
    issuer: 'Issuer',
    expires: 'Valid until',
    daysLeft: '{n} days left',
    source: 'Source',
    sourceAcme: 'ACME (automatic)',
    sourceUploaded: 'Uploaded',
    sourceNone: 'None yet (being ordered)',
    lastError: 'Last error',
    renew: 'Renew now',
    renewLabel: 'Renew the certificate of {host} now',
    renewOrdered: 'A new certificate for {host} is being ordered. This page shows the result.',
    uploadTitle: 'Upload a certificate',
    uploadNote:
      'The certificate (PEM, the leaf first, then its issuers) and its private key. Checked before it is stored.',
    uploadHost: 'Host name',
    uploadCertificate: 'Certificate (PEM)',
    uploadKey: 'Private key (PEM)',
    uploadButton: 'Upload',
    uploaded: 'The certificate of {host} is saved and served now.',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type CertWords = (typeof CERT_WORDS)[Lang];
