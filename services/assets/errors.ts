/**
 * Why an upload was refused. The upload route answers them as 413, 415 and 400; the JSON upload
 * procedure as PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE and BAD_REQUEST.
 */

/** The bytes were more than allowed; nothing was kept. */
export class AssetTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the file is larger than ${limit} bytes`);
    this.name = "AssetTooLargeError";
  }
}

/** The type is not on the allowed list, or the bytes are not what the type says. */
export class UnsupportedAssetTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedAssetTypeError";
  }
}

/** No file, no file name, an empty file, or a malformed body. */
export class InvalidUploadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidUploadError";
  }
}
