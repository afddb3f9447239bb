import { UserResponse } from '../accounts/user.response';
import { CertificationResponse } from '../certifications/certification.response';

export class ProfileResponse extends UserResponse {
  certifications: CertificationResponse[];
}

export class PinResetSentResponse {
  /** The patron's e-mail address the link went to. */
  sentTo: string;
}
