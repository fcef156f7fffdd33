/// A reminder rule: what it watches is fixed by its key; its numbers and whether it is on are data.
public struct ReminderRule: Sendable, Equatable {
    /// The rules the daemon knows how to evaluate.
    public enum Kind: String, Sendable, CaseIterable {
        case proposedWaiting = "proposed_waiting"
        case quoteOverdue = "quote_overdue"
        case quotedWaiting = "quoted_waiting"
        case deadlineNear = "deadline_near"
        case deadlinePassed = "deadline_passed"
        case acceptancePending = "acceptance_pending"
        case releasePending = "release_pending"
        /// A warranty fix's deadline is near (the deadline rules leave warranty fixes to these).
        case warrantyFixNear = "warranty_fix_near"
        /// A warranty fix's deadline passed.
        case warrantyFixPassed = "warranty_fix_passed"
        /// A released order's warranty ends in a month (and N business days).
        case warrantyEnding = "warranty_ending"

        /// The state a waiting rule watches, or nil for the date rules.
        var waitingState: String? {
            switch self {
            case .proposedWaiting: return "proposed"
            case .quotedWaiting: return "quoted"
            case .acceptancePending: return "delivered"
            case .releasePending: return "accepted"
            case .quoteOverdue, .deadlineNear, .deadlinePassed, .warrantyFixNear, .warrantyFixPassed, .warrantyEnding: return nil
            }
        }
    }

    public let kind: Kind
    public let enabled: Bool
    /// N in the rule's description (business days).
    public let businessDays: Int
    /// Repeat every R business days (deadline_passed, warranty_fix_passed).
    public let repeatEvery: Int?
    /// Tell an admin after E business days (deadline_passed, warranty_fix_passed).
    public let escalateAfter: Int?
    public let description: String

    public init(kind: Kind, enabled: Bool = true, businessDays: Int, repeatEvery: Int? = nil, escalateAfter: Int? = nil, description: String = "") {
        self.kind = kind
        self.enabled = enabled
        self.businessDays = businessDays
        self.repeatEvery = repeatEvery
        self.escalateAfter = escalateAfter
        self.description = description
    }

    /// PRODUCT.md's defaults (the migration seeds the same).
    public static let defaults: [ReminderRule] = [
        ReminderRule(kind: .proposedWaiting, businessDays: 10), ReminderRule(kind: .quoteOverdue, businessDays: 0),
        ReminderRule(kind: .quotedWaiting, businessDays: 5), ReminderRule(kind: .deadlineNear, businessDays: 3),
        ReminderRule(kind: .deadlinePassed, businessDays: 0, repeatEvery: 2, escalateAfter: 10),
        ReminderRule(kind: .acceptancePending, businessDays: 10), ReminderRule(kind: .releasePending, businessDays: 20),
        ReminderRule(kind: .warrantyFixNear, businessDays: 2), ReminderRule(kind: .warrantyFixPassed, businessDays: 0, repeatEvery: 1, escalateAfter: 5),
        ReminderRule(kind: .warrantyEnding, businessDays: 0),
    ]
}
