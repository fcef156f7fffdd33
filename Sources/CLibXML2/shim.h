// libxml2's SAX2 interface as far as the e-invoice reader uses it, declared here and not linked:
// the reader loads libxml2 with dlopen when it first reads a document, so that a command that
// reads none (every workflowctl command but `invoice import` and `demo run`) does not load
// libxml2 and the ICU it needs at start-up. The layouts are libxml2 2.x's public ABI
// (parser.h's struct _xmlSAXHandler, xmlerror.h's struct _xmlError), unchanged since 2.6.

#ifndef DEVWORKFLOW_CLIBXML2_SHIM_H
#define DEVWORKFLOW_CLIBXML2_SHIM_H

typedef unsigned char dw_xmlChar;

typedef void (*dw_startElementNsFunc)(void *ctx, const dw_xmlChar *localname, const dw_xmlChar *prefix,
                                      const dw_xmlChar *URI, int nb_namespaces, const dw_xmlChar **namespaces,
                                      int nb_attributes, int nb_defaulted, const dw_xmlChar **attributes);
typedef void (*dw_endElementNsFunc)(void *ctx, const dw_xmlChar *localname, const dw_xmlChar *prefix, const dw_xmlChar *URI);
typedef void (*dw_charactersFunc)(void *ctx, const dw_xmlChar *ch, int len);

/// struct _xmlSAXHandler: the callbacks the reader sets are typed, the others stay NULL.
typedef struct {
    void *internalSubset;
    void *isStandalone;
    void *hasInternalSubset;
    void *hasExternalSubset;
    void *resolveEntity;
    void *getEntity;
    void *entityDecl;
    void *notationDecl;
    void *attributeDecl;
    void *elementDecl;
    void *unparsedEntityDecl;
    void *setDocumentLocator;
    void *startDocument;
    void *endDocument;
    void *startElement;
    void *endElement;
    void *reference;
    dw_charactersFunc characters;
    void *ignorableWhitespace;
    void *processingInstruction;
    void *comment;
    void *warning;
    void *error;
    void *fatalError;
    void *getParameterEntity;
    dw_charactersFunc cdataBlock;
    void *externalSubset;
    unsigned int initialized;
    void *_private;
    dw_startElementNsFunc startElementNs;
    dw_endElementNsFunc endElementNs;
    void *serror;
} dw_xmlSAXHandler;

/// XML_SAX2_MAGIC: the handler is a SAX2 one (startElementNs and endElementNs are used).
static const unsigned int dw_XML_SAX2_MAGIC = 0xDEEDBEAF;
/// xmlParserOption: XML_PARSE_RECOVER | XML_PARSE_NOENT, as FoundationXML's XMLParser sets them,
/// and XML_PARSE_NONET (no network, whatever a document asks).
static const int dw_XML_PARSE_RECOVER = 1 << 0;
static const int dw_XML_PARSE_NOENT = 1 << 1;
static const int dw_XML_PARSE_NONET = 1 << 11;

/// struct _xmlError.
typedef struct {
    int domain;
    int code;
    char *message;
    int level;
    char *file;
    int line;
    char *str1;
    char *str2;
    char *str3;
    int int1;
    int int2;
    void *ctxt;
    void *node;
} dw_xmlError;

typedef void (*dw_structuredErrorFunc)(void *userData, dw_xmlError *error);

// The functions the reader looks up with dlsym.
typedef void (*dw_xmlInitParserFunc)(void);
typedef void *(*dw_xmlCreatePushParserCtxtFunc)(dw_xmlSAXHandler *sax, void *user_data, const char *chunk, int size, const char *filename);
typedef int (*dw_xmlCtxtUseOptionsFunc)(void *ctxt, int options);
typedef int (*dw_xmlParseChunkFunc)(void *ctxt, const char *chunk, int size, int terminate);
typedef void (*dw_xmlStopParserFunc)(void *ctxt);
typedef void (*dw_xmlFreeParserCtxtFunc)(void *ctxt);
typedef int (*dw_xmlSAX2GetNumberFunc)(void *ctx);
typedef void (*dw_xmlSetStructuredErrorFuncFunc)(void *ctx, dw_structuredErrorFunc handler);

#endif
