package io.wharf.storage;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The SDK asks S3 for "100 Continue" before every PutObject and UploadPart body. Wharf only ever sends bodies
 * it holds in memory (a small file, one part), so waiting for the go-ahead costs a round trip per request and
 * saves nothing worth having; the bodies are sent at once instead. (The Apache client's own expect-continue is
 * switched off in the configuration; this removes the header the S3 client adds itself.)
 */
public class NoExpectContinue implements ExecutionInterceptor {

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        return request.firstMatchingHeader("Expect").isPresent() ? request.toBuilder().removeHeader("Expect").build() : request;
    }
}
