export default {
  problem: {
    validation: 'The request is not valid',
    unauthorized: 'The access token is missing or not valid',
    token_expired: 'The access token has expired',
    device_replaced: 'Another device was linked, so this device’s link has ended',
    link_ended: 'This device’s link has ended',
    forbidden: 'This is not allowed',
    not_found: 'Not found',
    method_not_allowed: 'This method is not allowed here',
    invalid_client: 'The client is not valid',
    invalid_grant: 'The authorization code or refresh token is not valid',
    unsupported_grant_type: 'This grant_type is not supported',
    rate_limited: 'Too many requests. Please wait a little and try again',
    internal: 'Something went wrong on the server',
  },
} as const;
