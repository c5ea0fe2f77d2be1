
      export interface PossibleTypesResultData {
        possibleTypes: {
          [key: string]: string[]
        }
      }
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "CancelQueuedTurnResult": [
      "CancelQueuedTurnPayload",
      "ConflictError",
      "NotFoundError",
      "ValidationError"
    ],
    "CompactThreadResult": [
      "CompactThreadPayload",
      "ConflictError",
      "NotFoundError",
      "OverloadedError",
      "ThreadArchivedError",
      "TurnActiveError",
      "ValidationError"
    ],
    "CreateThreadResult": [
      "ConflictError",
      "CreateThreadPayload",
      "ValidationError",
      "WorkspaceInvalidError"
    ],
    "DeleteThreadResult": [
      "DeleteThreadPayload",
      "NotFoundError",
      "ValidationError"
    ],
    "DeleteWebhookResult": [
      "DeleteWebhookPayload",
      "NotFoundError",
      "ValidationError"
    ],
    "EditLastTurnResult": [
      "ConflictError",
      "EditLastTurnPayload",
      "NotFoundError",
      "OverloadedError",
      "ThreadArchivedError",
      "TurnActiveError",
      "ValidationError"
    ],
    "EditQueuedTurnResult": [
      "ConflictError",
      "EditQueuedTurnPayload",
      "NotFoundError",
      "ValidationError"
    ],
    "ForkThreadResult": [
      "ConflictError",
      "ForkThreadPayload",
      "NotFoundError",
      "OutOfRangeError",
      "ValidationError"
    ],
    "InterruptTurnResult": [
      "ConflictError",
      "InterruptTurnPayload",
      "NoActiveTurnError",
      "NotFoundError",
      "ValidationError"
    ],
    "Item": [
      "AgentMessageItem",
      "CommandExecutionItem",
      "ContextCompactionItem",
      "ErrorItem",
      "FileChangeItem",
      "McpToolCallItem",
      "StatusItem",
      "ToolCallItem",
      "UserMessageItem"
    ],
    "MoveQueuedTurnResult": [
      "ConflictError",
      "MoveQueuedTurnPayload",
      "NotFoundError",
      "OutOfRangeError",
      "ValidationError"
    ],
    "Node": [
      "AgentMessageItem",
      "Approval",
      "CommandExecutionItem",
      "ContextCompactionItem",
      "ErrorItem",
      "FileChangeItem",
      "McpToolCallItem",
      "StatusItem",
      "Thread",
      "ToolCallItem",
      "Turn",
      "UserMessageItem",
      "Webhook",
      "WebhookDelivery"
    ],
    "RegisterWebhookResult": [
      "RegisterWebhookPayload",
      "ValidationError"
    ],
    "ResolveApprovalResult": [
      "ConflictError",
      "NotFoundError",
      "ResolveApprovalPayload",
      "ValidationError"
    ],
    "RevertThreadResult": [
      "ConflictError",
      "NotFoundError",
      "RevertThreadPayload",
      "TurnActiveError",
      "ValidationError",
      "WorkspaceConflictError"
    ],
    "SetPricingResult": [
      "SetPricingPayload",
      "ValidationError"
    ],
    "SetRoutingRulesResult": [
      "SetRoutingRulesPayload",
      "ValidationError"
    ],
    "StartTurnResult": [
      "ConflictError",
      "NoActiveTurnError",
      "NotFoundError",
      "OverloadedError",
      "StartTurnPayload",
      "ThreadArchivedError",
      "TurnActiveError",
      "ValidationError"
    ],
    "SteerTurnResult": [
      "ConflictError",
      "NoActiveTurnError",
      "NotFoundError",
      "SteerTurnPayload",
      "ValidationError"
    ],
    "SubmitToolOutputResult": [
      "ConflictError",
      "NotFoundError",
      "SubmitToolOutputPayload",
      "ValidationError"
    ],
    "UpdateThreadResult": [
      "NotFoundError",
      "UpdateThreadPayload",
      "ValidationError",
      "WorkspaceInvalidError"
    ],
    "UserError": [
      "ConflictError",
      "NoActiveTurnError",
      "NotFoundError",
      "OutOfRangeError",
      "OverloadedError",
      "ThreadArchivedError",
      "TurnActiveError",
      "ValidationError",
      "WorkspaceConflictError",
      "WorkspaceInvalidError"
    ]
  }
};
      export default result;
    