import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../context.js';

/**
 * Writes the request's audit entries before the response leaves (UU PDP 27/2022: every read of
 * personal data is accounted for). If they cannot be written, the response is replaced by an
 * error: data whose reading could not be recorded is not sent.
 */
export const auditPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, operationName, response, logger }) {
        if (!contextValue?.audit || contextValue.audit.size === 0) return;
        try {
          await contextValue.audit.flush(contextValue.database, contextValue.viewer, {
            operation: operationName ?? null,
            requestId: contextValue.requestId,
          });
        } catch (error) {
          logger.error(`audit trail write failed; response withheld: ${(error as Error).message}`);
          if (response.body.kind === 'single') {
            response.body.singleResult = {
              errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
            };
          }
        }
      },
    };
  },
};
