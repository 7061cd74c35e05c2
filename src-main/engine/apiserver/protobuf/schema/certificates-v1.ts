import type { PackageSchema } from './types';

/** k8s.io/api/certificates/v1: what `kubectl certificate approve|deny` writes. */
export const certificatesV1: PackageSchema = {
  name: 'certificates',
  kinds: { 'certificates.k8s.io/v1': ['CertificateSigningRequest'] },
  messages: {
    CertificateSigningRequest: {
      1: ['metadata', 'meta.ObjectMeta'],
      2: ['spec', 'CertificateSigningRequestSpec'],
      3: ['status', 'CertificateSigningRequestStatus'],
    },
    CertificateSigningRequestSpec: {
      1: ['request', 'bytes*'],
      7: ['signerName', 'string*'],
      8: ['expirationSeconds', 'int32*'],
      5: ['usages', '[]string'],
      2: ['username', 'string'],
      3: ['uid', 'string'],
      4: ['groups', '[]string'],
      6: ['extra', 'map<string,StringList>'],
    },
    CertificateSigningRequestStatus: {
      1: ['conditions', '[]CertificateSigningRequestCondition'],
      2: ['certificate', 'bytes'],
    },
    CertificateSigningRequestCondition: {
      1: ['type', 'string*'],
      6: ['status', 'string*'],
      2: ['reason', 'string'],
      3: ['message', 'string'],
      4: ['lastUpdateTime', 'Time'],
      5: ['lastTransitionTime', 'Time'],
    },
  },
};
