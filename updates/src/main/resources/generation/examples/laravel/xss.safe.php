<?php

namespace App\Http\Controllers;

use Illuminate\Http\Request;

class GreetingController extends Controller
{
    public function show(Request $request)
    {
        return response('<h1>Hello ' . e($request->input('name')) . '</h1>');
    }
}
