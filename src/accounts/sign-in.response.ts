import { UserResponse } from './user.response';

export class SignInResponse {
  /** Send it as `Authorization: Bearer <token>`. */
  token: string;
  expiresAt: string;
  user: UserResponse;
}

export class MessageResponse {
  /** What happened, in words for the person who asked. */
  message: string;
}
