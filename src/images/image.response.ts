export class ImageResponse {
  /** Where the image is served; use it as `src` in manual steps and equipment photos. */
  url: string;
  contentType: string;
  bytes: number;
  width?: number;
  height?: number;
}
